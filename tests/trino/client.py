"""Trino's REST protocol, as much as the tests need: statements, prepared statements, query statistics.

Values come back the way the kit's Athena runner types them (``flowkit.aws.athena.convert_value`` on
the text Trino would print), so rows compare directly with the local engine's and the expectations'.
The session time zone is UTC, as Athena's is.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flowkit.aws.athena import convert_value

CATALOG = "awsdatacatalog"
USER = "flowkit"
PREPARED = "flowkit_saved_query"


class TrinoQueryFailed(RuntimeError):
    """A statement Trino refused or failed: its error name and message."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


@dataclass
class TrinoResult:
    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]
    query_id: str
    added_prepare: dict[str, str] = field(default_factory=dict)


def _text(value: Any) -> dict[str, str]:
    """A JSON value of Trino's protocol as the datum Athena's GetQueryResults would give."""
    if value is None:
        return {}
    if isinstance(value, bool):
        return {"VarCharValue": "true" if value else "false"}
    if isinstance(value, float):
        return {"VarCharValue": repr(value)}
    if isinstance(value, list | dict):
        return {"VarCharValue": json.dumps(value)}
    return {"VarCharValue": str(value)}


@dataclass
class TrinoClient:
    url: str
    schema: str | None = None
    timeout_s: float = 120.0

    def _headers(self, prepared: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"X-Trino-User": USER, "X-Trino-Catalog": CATALOG, "X-Trino-Time-Zone": "UTC"}
        if self.schema:
            headers["X-Trino-Schema"] = self.schema
        if prepared:
            headers["X-Trino-Prepared-Statement"] = ",".join(
                f"{name}={urllib.parse.quote_plus(sql)}" for name, sql in prepared.items())
        return headers

    def run(self, statement: str, prepared: dict[str, str] | None = None) -> TrinoResult:
        """One statement, all its pages; TrinoQueryFailed with Trino's error otherwise."""
        request = urllib.request.Request(f"{self.url}/v1/statement", data=statement.encode(), method="POST",
                                         headers=self._headers(prepared))
        columns: list[str] = []
        types: list[str] = []
        raw: list[list[Any]] = []
        added: dict[str, str] = {}
        query_id = ""
        while True:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                for header in response.headers.get_all("X-Trino-Added-Prepare") or []:
                    name, _, sql = header.partition("=")
                    added[name] = urllib.parse.unquote_plus(sql)
                page = json.load(response)
            query_id = page.get("id", query_id)
            if page.get("columns") and not columns:
                columns = [c["name"] for c in page["columns"]]
                types = [c["type"] for c in page["columns"]]
            raw.extend(page.get("data") or [])
            if "error" in page:
                error = page["error"]
                raise TrinoQueryFailed(str(error.get("errorName")), str(error.get("message")))
            if "nextUri" not in page:
                break
            request = urllib.request.Request(page["nextUri"], headers={"X-Trino-User": USER})
        rows = [tuple(convert_value(t, _text(v)) for t, v in zip(types, row, strict=True)) for row in raw]
        return TrinoResult(columns, types, rows, query_id, added)

    def execute(self, sql: str, parameters: Sequence[str]) -> TrinoResult:
        """``sql`` with its ``?`` bound the way Athena binds ExecutionParameters: PREPARE, then
        EXECUTE ... USING the parameters' literal texts (strings quoted, numbers bare)."""
        prepared = self.run(f"PREPARE {PREPARED} FROM {sql}").added_prepare
        using = f" USING {', '.join(parameters)}" if parameters else ""
        return self.run(f"EXECUTE {PREPARED}{using}", prepared)

    def scan_stats(self, query_id: str) -> dict[str, int]:
        """Splits (one per file here), rows and bytes read by the table scans, from GET /v1/query/<id>."""
        request = urllib.request.Request(f"{self.url}/v1/query/{query_id}", headers={"X-Trino-User": USER})
        with urllib.request.urlopen(request, timeout=30) as response:
            info: dict[str, Any] = json.load(response)
        totals = {"splits": 0, "rows": 0, "bytes": 0}
        for stage in info["stages"]["stages"]:
            for operator in stage["stageStats"].get("operatorSummaries", []):
                if operator["operatorType"] in ("ScanFilterAndProjectOperator", "TableScanOperator"):
                    totals["splits"] += int(operator["totalDrivers"])
                    totals["rows"] += int(operator["physicalInputPositions"])
                    totals["bytes"] += int(str(operator["physicalInputDataSize"]).rstrip("B"))
        return totals
