"""Values spelled out by hand from AWS's documentation (reference file, section 1), for expectations."""

# The AWS default format: exactly these 14 version-2 fields, in this order (VPC user guide).
AWS_DEFAULT_FORMAT = (
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
)
