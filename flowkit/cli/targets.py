"""Where AWS commands run: a session from the usual AWS environment, and the deployed names to use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from flowkit.errors import KitError, one_line

if TYPE_CHECKING:
    from flowkit.aws.deployed import Deployed
    from flowkit.cli.config import Options

AWS_ONLY = ("--investigation", "--workgroup", "--database", "--table", "--profile", "--region")


def aws_session(profile: str | None, region: str | None) -> Any:
    """A boto3 session from the usual AWS environment; no region or credentials is bad input."""
    from botocore.exceptions import BotoCoreError

    from flowkit.aws.session import make_session

    session = make_session(profile, region)
    try:
        if not session.region_name:
            raise KitError("no AWS region: give --region, or set AWS_REGION / AWS_DEFAULT_REGION or a "
                           "profile's region")
        if session.get_credentials() is None:
            raise KitError("no AWS credentials found: use --profile or AWS_PROFILE, AWS_ACCESS_KEY_ID and "
                           "AWS_SECRET_ACCESS_KEY, or `aws sso login`")
    except BotoCoreError as err:
        raise KitError(f"AWS credentials: {one_line(str(err))}") from None
    return session


def check_investigation(name: str) -> str:
    from flowkit.settings import INVESTIGATION

    if not INVESTIGATION.match(name):
        raise KitError(f"--investigation: {name!r} is not an investigation name (lower-case letters, digits "
                       "and '-', at most 24 characters)")
    return name


@dataclass(frozen=True)
class AthenaChoice:
    """Where ``--athena`` runs: a deployed investigation, or a workgroup and database given by hand."""

    investigation: str | None
    workgroup: str | None
    database: str | None
    table: str | None
    profile: str | None
    region: str | None

    def given(self) -> list[str]:
        values = (self.investigation, self.workgroup, self.database, self.table, self.profile, self.region)
        return [option for option, value in zip(AWS_ONLY, values, strict=True) if value]

    def check(self) -> None:
        """Option combinations, before anything talks to AWS."""
        if self.investigation is not None:
            check_investigation(self.investigation)
            both = [o for o in ("--workgroup", "--database", "--table") if o in self.given()]
            if both:
                raise KitError(f"give either --investigation or {'/'.join(both)}, not both (with "
                               "--investigation the names come from its stack outputs)")
        elif self.workgroup or self.database:
            if not (self.workgroup and self.database):
                raise KitError("--workgroup and --database go together: give both")
        elif self.table:
            raise KitError("--table goes with --workgroup and --database")

    def target(self, options: Options, session: Any) -> Deployed:
        """The deployed names: from CloudFormation, or built from the options and the settings."""
        from flowkit.aws.deployed import Deployed, lookup
        from flowkit.cli.terminal import warn
        from flowkit.settings.model import TRANSIT_SUFFIX

        settings = options.settings
        if self.workgroup and self.database:
            # the transit gateway table only where the settings capture transit gateways (no stack to ask)
            transit = ((self.table + TRANSIT_SUFFIX if self.table else settings.transit_table_name)
                       if settings.has_transit_gateways else None)
            # no results location: the workgroup's own applies
            return Deployed(settings.investigation, "", settings.layout, self.database,
                            self.table or settings.table_name, self.workgroup, "", transit_table=transit)
        return lookup(self.investigation or settings.investigation, session, notify=warn)


def athena_choice(athena: bool, investigation: str | None, workgroup: str | None, database: str | None,
                  table: str | None, profile: str | None, region: str | None) -> AthenaChoice | None:
    """The checked Athena options, or None without --athena (then none of them may be given)."""
    choice = AthenaChoice(investigation, workgroup, database, table, profile, region)
    if not athena:
        if choice.given():
            raise KitError(f"{', '.join(choice.given())} can only be used with --athena")
        return None
    choice.check()
    return choice


def before_spending(options: Options, session: Any, target: Deployed, since: datetime | None,
                    until: datetime | None, bound: bool, queries: int = 1) -> str:
    """Warn when the window reaches before the table's projection range; with ``bound``, the line
    stating the most the window can scan and cost (its objects' size)."""
    from flowkit.aws import scan
    from flowkit.aws.session import client
    from flowkit.cli import terminal

    settings = options.settings
    end = until or datetime.now(UTC).replace(microsecond=0)
    start = since or end - timedelta(days=settings.lookback_days)
    warning = scan.projection_warning(start, end, settings.projected_days)
    if warning:
        terminal.warn(warning)
    if not bound:
        return ""
    if not target.bucket:
        return ("the most the window can scan is unknown: with --workgroup and --database the log bucket "
                "is not known (use --investigation)")
    with terminal.progress() as progress:
        progress("listing the window's time folders", 0, None)
        found = scan.scan_bound(client(session, "s3"), target.storage, start, end)
    return found.line(queries)
