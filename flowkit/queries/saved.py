"""The saved queries as deployed: every available template rendered for the table and validated.

This is the one place that decides which SQL becomes an Athena named query; the analytics stack
only loops over :func:`saved_queries`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flowkit.queries.library import load_catalogue
from flowkit.queries.params import QueryError
from flowkit.queries.render import RenderContext, render_all

MAX_NAMED_QUERY_NAME = 128


@dataclass(frozen=True)
class SavedQuery:
    """One Athena named query."""

    key: str  # the template's name: the construct id, stable when other queries come and go
    name: str
    description: str
    sql: str


def named_query_name(investigation: str, query_name: str) -> str:
    """Athena named-query name ``<investigation>-<query>``, shortened with a hash if over 128 chars."""
    full = f"{investigation}-{query_name}"
    if len(full) <= MAX_NAMED_QUERY_NAME:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:8]
    return full[: MAX_NAMED_QUERY_NAME - 9].rstrip("-") + "-" + digest


def saved_queries(ctx: RenderContext, investigation: str, *, validate: bool = True) -> list[SavedQuery]:
    """Every template the table's fields allow, rendered and checked; QueryError lists every problem.

    ``validate=False`` skips the checks (they need the Trino grammar, which only the CDK extra installs):
    for comparing with what a deployment already holds (``flowlogs doctor``).
    """
    rendered = render_all(ctx, templates=load_catalogue())
    if validate:
        # sqlglot and the Trino grammar: deploy time only
        from flowkit.queries.checks import validate_rendered

        problems = validate_rendered(rendered, ctx)
        if problems:
            raise QueryError(problems)
    return [SavedQuery(r.name, named_query_name(investigation, r.name), r.description, r.sql)
            for r in rendered]
