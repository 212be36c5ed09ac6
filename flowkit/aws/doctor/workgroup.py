"""The Athena side: the workgroup, one tiny query over the last hour, and the saved queries."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from flowkit.aws.athena import AthenaError, cost_line, execute
from flowkit.aws.deployed import Deployed
from flowkit.aws.doctor.checks import Check, count, failed, ok, warning
from flowkit.aws.stack_outputs import ENGINE_VERSION
from flowkit.messages import Progress
from flowkit.queries import RenderContext, SavedQuery, quote_identifier, window_predicate

WORKGROUP, QUERY, SAVED = "workgroup", "test query", "saved queries"
QUERY_WINDOW = timedelta(hours=1)
NAMED = 3  # saved query names named in a line


def _redeploy(stack: str) -> str:
    return f"redeploy the analytics stack: npx cdk deploy {stack}"


def check_workgroup(athena: Any, deployed: Deployed, analytics_stack: str) -> Check:
    """The workgroup exists, is enabled, runs engine v3 and writes results where the stack says."""
    try:
        group = athena.get_work_group(WorkGroup=deployed.workgroup).get("WorkGroup")
    except ClientError as err:
        message = err.response.get("Error", {}).get("Message", "")
        if "not found" not in message.lower():
            raise
        group = None
    if not group:
        return failed(WORKGROUP, f"{deployed.workgroup} does not exist", _redeploy(analytics_stack))
    config = group.get("Configuration", {})
    engine = config.get("EngineVersion", {})
    effective = engine.get("EffectiveEngineVersion") or engine.get("SelectedEngineVersion") or "(none)"
    location = config.get("ResultConfiguration", {}).get("OutputLocation", "")
    problems = []
    if group.get("State", "ENABLED") != "ENABLED":
        problems.append(f"{deployed.workgroup} is {group.get('State')}")
    if effective != ENGINE_VERSION:
        problems.append(f"{deployed.workgroup} runs {effective}, the saved queries need {ENGINE_VERSION}")
    if location.rstrip("/") != deployed.results_location.rstrip("/"):
        problems.append(f"{deployed.workgroup} writes results to {location or '(nowhere)'}, "
                        f"the stack says {deployed.results_location}")
    if problems:
        return failed(WORKGROUP, "; ".join(problems), _redeploy(analytics_stack))
    return ok(WORKGROUP, f"{deployed.workgroup}: {effective}, results to {location}")


def tiny_query_sql(ctx: RenderContext, now: datetime) -> str:
    """Records that started in the last hour, with the saved queries' time-window predicate."""
    table = f"{quote_identifier(ctx.database)}.{quote_identifier(ctx.table)}"
    return (f"SELECT count(*) AS records\nFROM {table}\n"
            f"WHERE {window_predicate(ctx, now - QUERY_WINDOW, now)}\n")


def check_test_query(athena: Any, deployed: Deployed, ctx: RenderContext, now: datetime,
                     progress: Progress) -> Check:
    """Count the last hour's records in Athena; show the count, the data scanned and the cost."""
    try:
        result = execute(athena, tiny_query_sql(ctx, now), database=deployed.database,
                         workgroup=deployed.workgroup, results_location=deployed.results_location,
                         progress=progress)
    except AthenaError as err:
        return failed(QUERY, err.problems[0],
                      f"your credentials must be allowed to run queries in {deployed.workgroup}, read the "
                      f"log bucket and write {deployed.results_location} (and, with encryption=kms, use its "
                      "key); see the message for what was refused")
    records = int(result.rows[0][0] or 0) if result.rows and result.rows[0] else 0
    detail = f"{count(records, 'record')} started in the last hour; {cost_line(result.data_scanned_bytes)}"
    if records == 0:
        return warning(QUERY, detail, "if the objects line shows files of the last hour, the table does not "
                       "read them (see the table line); otherwise wait for traffic and run flowlogs doctor "
                       "again")
    return ok(QUERY, detail)


def named_queries(athena: Any, workgroup: str, progress: Progress) -> dict[str, str]:
    """Name -> SQL of every saved (named) query in the workgroup."""
    ids: list[str] = []
    for page in athena.get_paginator("list_named_queries").paginate(WorkGroup=workgroup):
        ids.extend(page.get("NamedQueryIds", []))
    found: dict[str, str] = {}
    for number, query_id in enumerate(ids):
        progress("reading the saved queries", number, len(ids))
        query = athena.get_named_query(NamedQueryId=query_id)["NamedQuery"]
        found[str(query["Name"])] = str(query.get("QueryString", ""))
    return found


def _names(names: list[str]) -> str:
    return ", ".join(names[:NAMED]) + (f" and {len(names) - NAMED} more" if len(names) > NAMED else "")


def check_saved_queries(athena: Any, deployed: Deployed, expected: list[SavedQuery], lookback_days: int,
                        analytics_stack: str, progress: Progress) -> Check:
    """The workgroup's saved queries of the investigation are the ones the kit renders for its fields."""
    found = named_queries(athena, deployed.workgroup, progress)
    mine = {name for name in found if name.startswith(f"{deployed.investigation}-")}
    wanted = {q.name: q.sql for q in expected}
    missing = sorted(set(wanted) - set(found))
    extra = sorted(mine - set(wanted))
    problems = []
    if missing:
        problems.append(f"{count(len(missing), 'saved query', 'saved queries')} missing: {_names(missing)}")
    if extra:
        problems.append(f"{len(extra)} not rendered for the deployed fields: {_names(extra)}")
    if problems:
        return failed(SAVED, "; ".join(problems) + f" (of {len(wanted)} expected in {deployed.workgroup})",
                      "redeploy the analytics stack with this version of the kit: "
                      f"npx cdk deploy {analytics_stack}")
    differ = sorted(name for name, sql in wanted.items() if found[name].strip() != sql.strip())
    if differ:
        return warning(SAVED, f"{len(differ)} of {len(wanted)} differ from what this kit renders with "
                       f"lookback_days={lookback_days}: {_names(differ)}",
                       f"redeploy the analytics stack with the settings of the deployment: "
                       f"npx cdk deploy {analytics_stack}")
    fields = len(deployed.fields or ())
    return ok(SAVED, f"{len(wanted)} in {deployed.workgroup}, as rendered for the {fields} deployed fields")
