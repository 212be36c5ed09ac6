"""How the logs are queried: the saved queries' window, the scan limit, and Glue/Athena names."""

from __future__ import annotations

import re
from typing import Annotated

from flowkit.settings.rules import Part, TextFloat, TextInt, between, matching, not_in

GLUE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,254}$")
WORKGROUP_NAME = re.compile(r"^[a-zA-Z0-9._-]{1,128}$")
# Names that exist in every account: CloudFormation would fail with AlreadyExists.
RESERVED_DATABASES = {"default"}
RESERVED_WORKGROUPS = {"primary"}
OWN_NAME = "choose a name of the investigation's own"
GlueName = Annotated[
    str | None,
    matching(GLUE_NAME, "must be lower-case letters, digits and '_' (Athena/Glue name)"),
    not_in(RESERVED_DATABASES, f"already exists in every account; {OWN_NAME}"),
]


class AnalyticsSettings(Part):
    lookback_days: Annotated[TextInt, between(1, 366, "must be between 1 and 366 days")] = 7
    query_limit_gb: Annotated[TextFloat, between(
        0.01, 1_000_000, "must be between 0.01 (10 MB, Athena's minimum) and 1000000")] = 10
    database: GlueName = None
    table: GlueName = None
    workgroup: Annotated[str | None,
                         matching(WORKGROUP_NAME, "must be 1-128 letters, digits, '.', '_' or '-'"),
                         not_in(RESERVED_WORKGROUPS, f"is Athena's built-in workgroup; {OWN_NAME}")] = None
