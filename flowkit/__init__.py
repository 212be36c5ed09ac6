"""VPC Flow Logs investigation kit: the domain (no CDK import here).

Field catalogue, settings, S3 key layouts and partition projection, the saved-query registry,
the local DuckDB engine and the ``flowlogs`` command all live in this package; the CDK stacks import
it, never the other way round.
"""
