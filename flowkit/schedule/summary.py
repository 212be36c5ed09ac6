"""The e-mail of a scheduled report: a short text summary with the link, or what failed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from flowkit.aws.athena import format_bytes
from flowkit.layout import to_utc
from flowkit.report import ReportData, window_text
from flowkit.report.cells import number
from flowkit.report.charts import human_bytes, thousands

TOP_SOURCES = 5  # rejected sources listed in the message (the report lists them all)
SUBJECT_LIMIT = 99  # SNS e-mail subjects must be shorter than 100 characters


@dataclass(frozen=True)
class Message:
    """One SNS message: the e-mail subject and the plain-text body."""

    subject: str
    body: str


@dataclass(frozen=True)
class Scanned:
    """What the run's Athena queries scanned and cost."""

    queries: int = 0
    bytes: int = 0
    cost_usd: float = 0.0

    def line(self) -> str:
        if not self.queries:
            return "No Athena query ran."
        return (f"Athena scanned {format_bytes(self.bytes)} in {self.queries} queries "
                f"(about USD {self.cost_usd:.4f}).")


def _subject(text: str) -> str:
    return text if len(text) <= SUBJECT_LIMIT else text[: SUBJECT_LIMIT - 3] + "..."


def _days(since: datetime | None, until: datetime | None) -> str:
    return " to ".join(f"{to_utc(when):%Y-%m-%d}" if when else "?" for when in (since, until))


def _totals(report: ReportData) -> list[str]:
    summary = report.summary
    share = summary.rejected_share

    def opt(value: int | None) -> str:
        return "n/a" if value is None else thousands(value)

    size = summary.bytes
    byte_text = "n/a" if size is None else f"{human_bytes(size)} ({thousands(size)})"
    flows = opt(summary.rejected_flows)
    rejected = "n/a" if share is None else f"{share * 100:.1f}% of flow records ({flows})"
    return [f"Flow records  {opt(summary.flows)}", f"Bytes         {byte_text}",
            f"Packets       {opt(summary.packets)}", f"Rejected      {rejected}"]


def _rejected_sources(report: ReportData) -> list[str]:
    """The top rejected sources as the report's rejected-sources table lists them (most first)."""
    section = next((s for s in report.sections if s.spec.query == "rejected-sources"), None)
    if section is None or not {"srcaddr", "rejected_flows"} <= set(section.columns):
        return []
    source, flows = section.columns.index("srcaddr"), section.columns.index("rejected_flows")
    if not section.rows:
        return ["No rejected traffic in this window."]
    width = max(len(str(row[source])) for row in section.rows[:TOP_SOURCES])
    lines = [f"Top rejected sources (of {thousands(len(section.rows))}), rejected flow records:"]
    lines += [f"  {str(row[source]):<{width}}  {thousands(number(row[flows]) or 0)}"
              for row in section.rows[:TOP_SOURCES]]
    return lines


def console_link(bucket: str, key: str, region: str) -> str:
    """The report in the S3 console: it never expires, and needs a sign-in allowed to read the bucket."""
    return (f"https://{region}.console.aws.amazon.com/s3/object/{quote(bucket)}"
            f"?region={quote(region)}&prefix={quote(key, safe='')}")


def report_message(report: ReportData, *, investigation: str, link: str, location: str, link_until: datetime,
                   scanned: Scanned, console: str) -> Message:
    """The summary of a finished report: window, totals, reject share, top rejected sources, link."""
    share = report.summary.rejected_share
    rejected = "" if share is None else f", {share * 100:.1f}% rejected"
    subject = f"VPC flow logs {investigation}: {_days(report.since, report.until)}{rejected}"
    body = [
        f"VPC Flow Logs report of investigation {investigation}",
        f"Window: {window_text(report.since, report.until)}",
        "",
        *_totals(report),
        "",
        *_rejected_sources(report),
        "",
        "The report (the eight traffic reports and three hunting lists as charts and tables):",
        link,
        "",
        f"The link is signed for {(to_utc(link_until) - to_utc(report.generated_at)).days} days (until "
        f"{to_utc(link_until):%Y-%m-%d %H:%M} UTC), but it was signed with the report function's temporary",
        "AWS credentials and stops working when they expire, which can be after a few hours. A fresh link:",
        f"  aws s3 presign {location} --expires-in 604800",
        "or open it in the S3 console (sign-in needed, never expires):",
        f"  {console}",
        "",
        scanned.line(),
    ]
    return Message(_subject(subject), "\n".join(body) + "\n")


def failure_message(*, investigation: str, since: datetime, until: datetime, problems: Sequence[str],
                    scanned: Scanned, log_group: str | None = None, location: str | None = None) -> Message:
    """What failed, for which window, and where to look."""
    body = [
        f"The scheduled VPC Flow Logs report of investigation {investigation} FAILED.",
        f"Window: {window_text(since, until)}",
        "",
        "What failed:",
        *(f"  {problem}" for problem in problems),
        "",
        f"The report was written to {location}, but the run failed after that." if location
        else "No report was written.",
        scanned.line(),
    ]
    if log_group:
        body.append(f"Details are in the function's log group {log_group}.")
    subject = f"FAILED: VPC flow logs report {investigation}: {_days(since, until)}"
    return Message(_subject(subject), "\n".join(body) + "\n")
