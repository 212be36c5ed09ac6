"""The Glue table: its columns, partition keys and projection against what the stacks deployed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from flowkit.aws.deployed import Deployed
from flowkit.aws.doctor.checks import Check, count, failed, first_difference, ok
from flowkit.aws.fetch.elsewhere import shape
from flowkit.layout import ACCOUNT_COLUMN, PARTITION_COLUMNS, REGION_COLUMN, TIME_COLUMN

NAME = "table"
# Projection parameters that depend on the account, the region or the retention, not on the layout.
_VARYING = (f"projection.{ACCOUNT_COLUMN}.values", f"projection.{REGION_COLUMN}.values",
            f"projection.{TIME_COLUMN}.range")


@dataclass(frozen=True)
class Table:
    """What the doctor reads from the Glue table."""

    columns: tuple[tuple[str, str], ...]  # (name, Glue type) in column order
    accounts: tuple[str, ...]  # projected aws_account values
    regions: tuple[str, ...]  # projected aws_region values


def read_table(glue: Any, deployed: Deployed) -> dict[str, Any] | None:
    """GetTable of the deployed table; None when it (or its database) does not exist."""
    try:
        return dict(glue.get_table(DatabaseName=deployed.database, Name=deployed.table)["Table"])
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") == "EntityNotFoundException":
            return None
        raise


def _values(parameters: dict[str, str], column: str) -> tuple[str, ...]:
    text = parameters.get(f"projection.{column}.values", "")
    return tuple(v.strip() for v in text.split(",") if v.strip())


def check_table(glue: Any, deployed: Deployed, analytics_stack: str) -> tuple[Check, Table | None]:
    """The table exists with the deployed fields as columns, and projects the deployed key layout."""
    name = f"{deployed.database}.{deployed.table}"
    redeploy = f"redeploy the analytics stack: npx cdk deploy {analytics_stack}"
    found = read_table(glue, deployed)
    if found is None:
        return failed(NAME, f"{name} does not exist", redeploy), None
    descriptor = found.get("StorageDescriptor", {})
    columns = tuple((str(c["Name"]), str(c.get("Type", ""))) for c in descriptor.get("Columns", []))
    parameters = {str(k): str(v) for k, v in found.get("Parameters", {}).items()}
    table = Table(columns, _values(parameters, ACCOUNT_COLUMN), _values(parameters, REGION_COLUMN))
    fields = deployed.fields or ()
    problems = [p for p in (
        first_difference([f.column for f in fields], [c for c, _ in columns], what="column",
                         found_in=name, expected_in="the stack's TableColumns output"),
        _types(columns, fields, name),
        first_difference(list(PARTITION_COLUMNS), [str(k["Name"]) for k in found.get("PartitionKeys", [])],
                         what="partition key", found_in=name, expected_in="the kit's tables"),
        _projection(parameters, deployed, name),
    ) if p]
    if not table.accounts or not table.regions:
        problems.append(f"{name} projects no account or no region (projection.{ACCOUNT_COLUMN}.values, "
                        f"projection.{REGION_COLUMN}.values)")
    if problems:
        return failed(NAME, "; ".join(problems), redeploy), table
    return ok(NAME, f"{name}: {count(len(columns), 'column')} as deployed, reads "
              f"s3://{deployed.bucket}/{deployed.layout.root} ({shape(deployed.layout)}) for account "
              f"{', '.join(table.accounts)}, region {', '.join(table.regions)}"), table


def _types(columns: tuple[tuple[str, str], ...], fields: Any, name: str) -> str | None:
    expected = {f.column: f.athena_type for f in fields}
    for column, kind in columns:
        if column in expected and kind.lower() != expected[column]:
            return f"column {column} is {kind} in {name}, {expected[column]} in the field catalogue"
    return None


def _projection(parameters: dict[str, str], deployed: Deployed, name: str) -> str | None:
    """The first projection parameter that does not follow the deployed key layout."""
    expected = deployed.layout.projection_parameters(deployed.bucket, [], [], 0)
    for key, value in expected.items():
        if key not in _VARYING and parameters.get(key) != value:
            return f"{name} has {key} = {parameters.get(key, '(none)')!r}, the key layout needs {value!r}"
    return None
