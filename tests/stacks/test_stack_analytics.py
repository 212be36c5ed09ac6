"""Analytics stack as composed from settings: names, projection window, the saved queries deployed.

The table, workgroup and named query properties are tested construct by construct in constructs/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"

# Per conftest config, spelled by hand from its inputs: investigation, database, table, workgroup, and the
# projected dt range (log_retention_days 30 / 90 / 30, plus the one day of partition slack).
EXPECTED = {
    "default": ("demo", "flowlogs_demo", "flow_logs", "flowlogs-demo", "NOW-31DAYS,NOW"),
    "text_kms": ("case-42", "flowlogs_case_42", "flow_logs", "flowlogs-case-42", "NOW-91DAYS,NOW"),
    "eni_reject": ("rejects", "netsec", "rejects", "netsec-rejects", "NOW-31DAYS,NOW"),
}
CONFIG_NAMES = sorted(EXPECTED)


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_outputs_name_the_database_table_and_workgroup(synth_config: Any, config: str) -> None:
    synth = synth_config(config)
    _, database, table, workgroup, _ = EXPECTED[config]
    template = synth.template("analytics")
    template.has_output("DatabaseName", {"Value": database})
    template.has_output("TableName", {"Value": table})
    outputs = synth.templates["analytics"]["Outputs"]
    assert outputs["WorkGroupName"]["Value"] == workgroup
    conf = synth.one("analytics", "AWS::Athena::WorkGroup")["Properties"]["WorkGroupConfiguration"]
    assert outputs["ResultsLocation"]["Value"] == conf["ResultConfiguration"]["OutputLocation"]


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_projection_reaches_back_over_the_log_retention(synth_config: Any, config: str) -> None:
    table = synth_config(config).one("analytics", "AWS::Glue::Table")["Properties"]["TableInput"]
    assert table["Parameters"]["projection.dt.range"] == EXPECTED[config][4]


SCHEDULED_REPORT = {"AWS::Scheduler::Schedule", "AWS::Lambda::Function", "AWS::Lambda::EventInvokeConfig",
                    "AWS::IAM::Role", "AWS::SNS::Topic", "AWS::SNS::TopicPolicy", "AWS::SNS::Subscription",
                    "AWS::Logs::LogGroup"}


def test_no_crawler_lambda_or_custom_resource(any_synth: Any) -> None:
    """Only the report on a schedule (when it is on) adds a function, and nothing else that runs."""
    types = {r["Type"] for r in any_synth.templates["analytics"]["Resources"].values()}
    scheduled = SCHEDULED_REPORT if any_synth.settings.report_expression else set()
    assert types <= {"AWS::Glue::Database", "AWS::Glue::Table", "AWS::Athena::WorkGroup",
                     "AWS::Athena::NamedQuery", "AWS::CDK::Metadata"} | scheduled
    assert scheduled <= types


def _named_queries(synth: Any) -> dict[str, dict[str, Any]]:
    return synth.resources("analytics", "AWS::Athena::NamedQuery")


def test_every_template_is_saved_when_all_fields_are_logged(text_kms_synth: Any) -> None:
    expected = {f"case-42-{path.stem}" for path in SQL_DIR.glob("*.sql")}
    names = [q["Properties"]["Name"] for q in _named_queries(text_kms_synth).values()]
    assert len(names) == len(set(names))
    assert set(names) == expected


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_saved_queries_target_the_kit_workgroup_and_table(synth_config: Any, config: str) -> None:
    synth = synth_config(config)
    investigation, database, table, workgroup, _ = EXPECTED[config]
    queries = _named_queries(synth)
    assert queries
    for query in queries.values():
        props = query["Properties"]
        assert props["Name"].startswith(investigation + "-") and len(props["Name"]) <= 128
        assert props["Description"].strip()
        assert props["Database"] == database
        assert props["WorkGroup"] == workgroup
        sql = props["QueryString"]
        assert f'"{database}"."{table}"' in sql
        assert "dt >=" in sql  # every saved query prunes partitions


def test_queries_needing_absent_fields_are_not_saved(eni_reject_synth: Any) -> None:
    queries = _named_queries(eni_reject_synth)
    assert 0 < len(queries) < len(list(SQL_DIR.glob("*.sql")))
    for query in queries.values():
        for v3_column in ("pkt_srcaddr", "vpc_id", "subnet_id", "instance_id", "tcp_flags"):
            assert v3_column not in query["Properties"]["QueryString"]
