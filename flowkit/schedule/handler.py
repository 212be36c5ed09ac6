"""The scheduled report's Lambda entry point: the report's saved queries in Athena, the HTML report in S3,
the summary by SNS.

The report is the one ``flowlogs report --athena`` writes (``flowkit.report``), over the window that ends
at the start of the current UTC hour. Whatever fails (a query, its scan limit, the time limit, S3) is
e-mailed too, and the invocation then ends with an error.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.config import Config

from flowkit.aws import athena
from flowkit.aws.session import make_session
from flowkit.errors import FAILED, KitError, one_line
from flowkit.layout import to_utc
from flowkit.queries import RenderContext
from flowkit.report import (
    ReportData,
    ResultLike,
    Runner,
    athena_runner,
    athena_source,
    build_report,
    render_html,
)
from flowkit.schedule.config import LINK_DAYS, REPORTS_PREFIX, FunctionConfig, from_environment
from flowkit.schedule.summary import Message, Scanned, console_link, failure_message, report_message

RESERVE_SECONDS = 30  # of the function's time limit, kept for rendering, S3 and SNS after the queries
LOG = logging.getLogger("flowlogs.report")


class ScheduledReportError(KitError):
    """The scheduled report failed; the message saying so has been published."""

    status = FAILED


@dataclass
class _Tracker:
    """Wraps the report's runner: which query runs now, what the finished ones scanned."""

    run: Runner
    current: str = ""
    scanned: list[int] = field(default_factory=list)

    def __call__(self, name: str, params: dict[str, str]) -> ResultLike:
        self.current = name
        try:
            result = self.run(name, params)
        except KitError as err:
            raise err.with_context(f"query '{name}'") from None
        self.scanned.append(int(getattr(result, "data_scanned_bytes", 0) or 0))
        return result

    def total(self) -> Scanned:
        return Scanned(len(self.scanned), sum(self.scanned), sum(athena.cost_usd(b) for b in self.scanned))


def window(now: datetime, days: int) -> tuple[datetime, datetime]:
    """``days`` days up to the start of ``now``'s UTC hour."""
    until = to_utc(now).replace(minute=0, second=0, microsecond=0)
    return until - timedelta(days=days), until


def report_key(since: datetime, until: datetime) -> str:
    """``reports/2026-11-30T0600Z--2026-12-07T0600Z.html``: one object per window."""
    return f"{REPORTS_PREFIX}{since:%Y-%m-%dT%H%MZ}--{until:%Y-%m-%dT%H%MZ}.html"


def _build(tracker: _Tracker, seconds_left: Callable[[], float] | None, **kwargs: Any) -> ReportData:
    """build_report, given up (as a failure) when the function's time limit comes too close."""
    if seconds_left is None:
        return build_report(tracker, **kwargs)
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(build_report, tracker, **kwargs)
    budget = max(seconds_left() - RESERVE_SECONDS, 1.0)
    try:
        return future.result(timeout=budget)
    except TimeoutError:
        raise ScheduledReportError(f"query '{tracker.current}': still running when the function's time limit "
                                   f"was {RESERVE_SECONDS} s away; the report was not finished") from None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _problems(err: Exception) -> list[str]:
    if isinstance(err, KitError):
        return list(err.problems)
    return [f"{type(err).__name__}: {one_line(str(err))}"]


def _publish(sns: Any, topic_arn: str, message: Message) -> None:
    sns.publish(TopicArn=topic_arn, Subject=message.subject, Message=message.body)


def run(config: FunctionConfig, session: Any, *, now: datetime,
        seconds_left: Callable[[], float] | None = None, log_group: str | None = None) -> dict[str, Any]:
    """One scheduled report; publishes the summary (or the failure) and returns what was written."""
    deployed = config.deployed
    since, until = window(now, config.lookback_days)
    ctx = RenderContext(deployed.database, deployed.table, deployed.fields or (), deployed.layout,
                        config.lookback_days)
    tracker = _Tracker(athena_runner(session, deployed, ctx, since=since, until=until, notify=LOG.info))
    # clients made before the queries' thread starts (a boto3 session is not thread-safe)
    s3, sns = session.client("s3", config=Config(signature_version="s3v4")), session.client("sns")
    key = report_key(since, until)
    location = f"s3://{deployed.bucket}/{key}"
    written = False
    try:
        data = _build(tracker, seconds_left, since=since, until=until, generated_at=now,
                      source_label=athena_source(deployed, session.region_name))
        s3.put_object(Bucket=deployed.bucket, Key=key, Body=render_html(data).encode("utf-8"),
                      ContentType="text/html; charset=utf-8")
        written = True
        expires = LINK_DAYS * 86400
        link = s3.generate_presigned_url("get_object", Params={"Bucket": deployed.bucket, "Key": key},
                                         ExpiresIn=expires)
        message = report_message(data, investigation=deployed.investigation, link=link, location=location,
                                 link_until=now + timedelta(seconds=expires), scanned=tracker.total(),
                                 console=console_link(deployed.bucket, key, session.region_name))
        _publish(sns, config.topic_arn, message)
    except Exception as err:
        problems = _problems(err)
        LOG.error("scheduled report failed: %s", "; ".join(problems))
        _publish(sns, config.topic_arn, failure_message(
            investigation=deployed.investigation, since=since, until=until, problems=problems,
            scanned=tracker.total(), log_group=log_group, location=location if written else None))
        raise ScheduledReportError(problems) from err
    LOG.info("report %s published to %s", location, config.topic_arn)
    return {"report": location, "since": since.isoformat(), "until": until.isoformat(),
            "queries": tracker.total().queries}


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point (``flowkit.schedule.handler.handler``); the event's content is not used."""
    logging.getLogger().setLevel(logging.INFO)
    config = from_environment(os.environ)

    def seconds_left() -> float:
        return float(context.get_remaining_time_in_millis()) / 1000

    timed = hasattr(context, "get_remaining_time_in_millis")
    return run(config, make_session(), now=datetime.now(UTC), seconds_left=seconds_left if timed else None,
               log_group=os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME"))
