"""The scheduled report function's environment: written by the CDK construct, read by the function.

The table, workgroup and layout travel under the analytics and storage stacks' output names, so the
function reads them with the same code (``flowkit.aws.deployed``) that reads a deployment's outputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flowkit.aws import stack_outputs as outputs
from flowkit.errors import KitError
from flowkit.layout import Layout

if TYPE_CHECKING:
    from flowkit.aws.deployed import Deployed

REPORTS_PREFIX = "reports/"  # where the reports go in the investigation's bucket (its own lifecycle rule)
LINK_DAYS = 7  # the longest a SigV4 pre-signed link can be valid
INVESTIGATION = "FLOWLOGS_INVESTIGATION"
TOPIC_ARN = "FLOWLOGS_REPORT_TOPIC_ARN"
LOOKBACK_DAYS = "FLOWLOGS_REPORT_LOOKBACK_DAYS"
ENVIRONMENT = "the report function's environment"  # how errors name where a value was missing


class ConfigError(KitError):
    """The function's environment is missing a value or holds a bad one (redeploy the analytics stack)."""


@dataclass(frozen=True)
class FunctionConfig:
    """What one scheduled run needs: the deployed names, the topic and the window length."""

    deployed: Deployed
    topic_arn: str
    lookback_days: int


def function_environment(*, investigation: str, bucket_name: str, layout: Layout, database: str, table: str,
                         workgroup: str, results_location: str, field_names: Iterable[str], topic_arn: str,
                         lookback_days: int) -> dict[str, str]:
    """The function's environment variables (values may be CDK tokens)."""
    env = {
        INVESTIGATION: investigation,
        TOPIC_ARN: topic_arn,
        LOOKBACK_DAYS: str(lookback_days),
        outputs.BUCKET_NAME: bucket_name,
        outputs.LOG_LAYOUT: outputs.layout_description(layout),
        outputs.DATABASE_NAME: database,
        outputs.TABLE_NAME: table,
        outputs.WORKGROUP_NAME: workgroup,
        outputs.RESULTS_LOCATION: results_location,
        outputs.TABLE_COLUMNS: outputs.table_columns(field_names),
    }
    if layout.key_prefix:
        env[outputs.KEY_PREFIX] = layout.key_prefix
    return env


def from_environment(env: Mapping[str, str]) -> FunctionConfig:
    """The run's configuration; ConfigError (or DeployedError) names a missing or bad value."""
    from flowkit.aws import deployed

    values = dict(env)
    missing = [name for name in (INVESTIGATION, TOPIC_ARN, LOOKBACK_DAYS) if not values.get(name, "").strip()]
    if missing:
        raise ConfigError(f"{ENVIRONMENT} lacks {', '.join(missing)} (redeploy the analytics stack)")
    days = values[LOOKBACK_DAYS].strip()
    if not days.isdigit() or int(days) < 1:
        raise ConfigError(f"{ENVIRONMENT}: {LOOKBACK_DAYS} is {days!r}, expected a number of days")
    storage = deployed.storage_from(values, ENVIRONMENT)
    names = deployed.analytics_from(values[INVESTIGATION].strip(), storage, values, ENVIRONMENT)
    if names.fields is None:
        raise ConfigError(f"{ENVIRONMENT} lacks {outputs.TABLE_COLUMNS} (redeploy the analytics stack)")
    return FunctionConfig(names, values[TOPIC_ARN].strip(), int(days))
