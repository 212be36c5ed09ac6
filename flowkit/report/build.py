"""Running the reports: a ``run(query_name, params)`` callable in, the page's data out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from flowkit.errors import FAILED, KitError
from flowkit.report.cells import number
from flowkit.report.specs import REPORTS, TRANSIT_REPORTS, ReportSpec


class ReportError(KitError):
    """A report that cannot be made (a result without the columns a chart needs, no Chromium...)."""

    status = FAILED


class ResultLike(Protocol):
    """What a query runner returns (local engine and Athena results both fit)."""

    @property
    def columns(self) -> Sequence[str]: ...

    @property
    def rows(self) -> Sequence[tuple[Any, ...]]: ...


Runner = Callable[[str, dict[str, str]], ResultLike]


@dataclass(frozen=True)
class Section:
    """One report's query result."""

    spec: ReportSpec
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    notes: tuple[str, ...] = ()  # what the runner reported beside the rows (skipped lines...)


@dataclass(frozen=True)
class Summary:
    """Totals for the page header (None: the result did not have that column)."""

    flows: int | None
    bytes: int | None
    packets: int | None
    rejected_flows: int | None

    @property
    def rejected_share(self) -> float | None:
        if self.flows is None or self.rejected_flows is None or self.flows == 0:
            return None
        return self.rejected_flows / self.flows


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows."""

    title: str
    since: datetime | None
    until: datetime | None
    source_label: str
    generated_at: datetime
    summary: Summary
    sections: tuple[Section, ...]


def build_report(run: Runner, *, since: datetime | None, until: datetime | None, source_label: str,
                 generated_at: datetime, title: str = "VPC Flow Logs report",
                 reports: Sequence[ReportSpec] = REPORTS, transit: Runner | None = None) -> ReportData:
    """Run every report's saved query through ``run`` and collect the results.

    ``since``/``until`` are only shown on the page: ``run`` must already apply that window. ``transit``
    runs the transit gateway table's reports; their section is shown when one of them has rows.
    """
    sections = [_section(run, spec) for spec in reports]
    summary = _summary(sections)
    if transit is not None:
        extra = [_section(transit, spec) for spec in TRANSIT_REPORTS]
        if any(section.rows for section in extra):
            sections += extra
    return ReportData(title, since, until, source_label, generated_at, summary, tuple(sections))


def _section(run: Runner, spec: ReportSpec) -> Section:
    result = run(spec.query, dict(spec.params))
    columns = tuple(result.columns)
    rows = tuple(tuple(row) for row in result.rows)
    for row in rows:
        if len(row) != len(columns):
            raise ReportError(f"query '{spec.query}' returned a row of {len(row)} values for "
                              f"{len(columns)} columns")
    return Section(spec, columns, rows, _notes(result))


def _notes(result: ResultLike) -> tuple[str, ...]:
    """Problems a runner reported with its rows (the local engine's skipped lines and notes)."""
    notes = [str(note) for note in getattr(result, "notes", None) or ()]
    skipped = getattr(result, "skipped_lines", 0) or 0
    if skipped:
        notes.append(f"{skipped:,} malformed log line(s) were skipped while reading the files")
    return tuple(notes)


def _summary(sections: Sequence[Section]) -> Summary:
    by_query = {s.spec.query: s for s in sections}

    def total(query: str, column: str) -> int | None:
        section = by_query.get(query)
        if section is None or column not in section.columns:
            return None
        index = section.columns.index(column)
        return int(sum(number(row[index]) or 0 for row in section.rows))

    rejected = None
    ratio = by_query.get("accept-reject-ratio")
    if ratio is not None and {"action", "flows"} <= set(ratio.columns):
        action, flows = ratio.columns.index("action"), ratio.columns.index("flows")
        rejected = int(sum(number(r[flows]) or 0 for r in ratio.rows if r[action] == "REJECT"))
    byte_total = total("accept-reject-ratio", "bytes")
    packet_total = total("packets-over-time", "packets")
    return Summary(
        flows=total("accept-reject-ratio", "flows"),
        bytes=byte_total if byte_total is not None else total("bytes-over-time", "bytes"),
        packets=packet_total,
        rejected_flows=rejected,
    )
