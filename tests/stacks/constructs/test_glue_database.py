"""FlowLogDatabase: the investigation's Glue database under its fixed name."""

from __future__ import annotations

from typing import Any

import pytest

from stacks.constructs import FlowLogDatabase
from tests.stacks.constructs.helpers import ACCOUNT, bare_stack, one, template_of

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("investigation", "name"),
    [("demo", "flowlogs_demo"), ("case-42", "flowlogs_case_42"), ("rejects", "netsec")],
)
def test_database_name_and_description(feature_flags: dict[str, Any], investigation: str, name: str) -> None:
    stack = bare_stack(feature_flags)
    database = FlowLogDatabase(stack, "Database", name=name, investigation=investigation)
    logical_id, resource = one(template_of(stack), "AWS::Glue::Database")
    assert logical_id == "Database"  # the fixed-name database must never be replaced
    assert resource["Properties"] == {
        "CatalogId": ACCOUNT,
        "DatabaseInput": {"Name": name, "Description": f"VPC flow logs of investigation {investigation}"},
    }
    assert database.name == name
