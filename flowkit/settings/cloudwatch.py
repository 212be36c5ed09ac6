"""Where the flow logs go: S3 (the bucket, Glue and Athena), CloudWatch Logs, or both.

With ``cloudwatch`` the kit deploys no bucket, table or workgroup, so the settings of those mean
nothing: one set to anything but its default stops the synth (a value equal to the default, as the
shipped cdk.json spells every key out, is harmless). CloudWatch Logs keeps a log group only for
certain periods, so with ``cloudwatch`` or ``both`` ``log_retention_days`` must be one of them: the kit
refuses another value (it would otherwise keep evidence longer, and pay for it, without being asked).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from flowkit.settings.rules import Part

Destination = Literal["s3", "cloudwatch", "both"]
# The retention periods (days) CloudWatch Logs accepts for a log group (PutRetentionPolicy).
RETENTION_DAYS: tuple[int, ...] = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                                   2192, 2557, 2922, 3288, 3653)
LAYOUT = "the S3 key layout"
ATHENA = "the Athena table and workgroup"
REPORT = "the scheduled report, which runs Athena queries"
# Settings that only an S3 destination uses, and what they configure.
S3_ONLY: dict[str, str] = {
    "file_format": LAYOUT, "hive_partitions": LAYOUT, "per_hour_partitions": LAYOUT, "key_prefix": LAYOUT,
    "organization_id": "which accounts' flow logs the bucket admits",
    "query_limit_gb": ATHENA, "database": ATHENA, "table": ATHENA, "workgroup": ATHENA,
    "report_schedule": REPORT, "report_emails": REPORT, "report_lookback_days": REPORT,
}


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


class CloudWatchSettings(Part):
    destination: Annotated[Destination, BeforeValidator(_lower)] = "s3"

    @property
    def to_s3(self) -> bool:
        return self.destination in ("s3", "both")

    @property
    def to_cloudwatch(self) -> bool:
        return self.destination in ("cloudwatch", "both")


def _error(key: str, value: Any, message: str) -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError("destination", message), loc=(key,), input=value)


def check_destination(settings: BaseModel) -> None:
    """Raise a ValidationError with one line per setting the destination cannot use (cross-part check)."""
    destination = getattr(settings, "destination", "s3")
    errors: list[InitErrorDetails] = []
    if destination == "cloudwatch":
        fields = type(settings).model_fields
        for key, what in S3_ONLY.items():
            value = getattr(settings, key)
            if key in settings.model_fields_set and value != fields[key].default:
                errors.append(_error(key, value, "means nothing with destination 'cloudwatch' (it configures "
                                     f"{what}); remove it, or set destination to 's3' or 'both'"))
    days = getattr(settings, "log_retention_days", None)
    if destination != "s3" and days not in RETENTION_DAYS:
        allowed = ", ".join(str(d) for d in RETENTION_DAYS if d <= 3650)
        errors.append(_error("log_retention_days", days, f"CloudWatch Logs keeps a log group for {allowed} "
                                                         f"days only; choose one of them (destination "
                                                         f"'{destination}')"))
    if errors:
        raise ValidationError.from_exception_data(type(settings).__name__, errors)
