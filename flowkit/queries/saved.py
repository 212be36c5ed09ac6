"""The saved queries as deployed: every available template rendered for the table and validated.

This is the one place that decides which SQL becomes an Athena named query; the analytics stack
only loops over :func:`saved_queries`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from flowkit.queries.library import load_all
from flowkit.queries.params import QueryError
from flowkit.queries.render import RenderContext, render_all
from flowkit.queries.tables import VPC, TableKind

MAX_NAMED_QUERY_NAME = 128


@dataclass(frozen=True)
class SavedQuery:
    """One Athena named query."""

    key: str  # the template's name: the construct id, stable when other queries come and go
    name: str
    description: str
    sql: str
    table: TableKind = VPC  # the table it reads


def named_query_name(investigation: str, query_name: str) -> str:
    """Athena named-query name ``<investigation>-<query>``, shortened with a hash if over 128 chars."""
    full = f"{investigation}-{query_name}"
    if len(full) <= MAX_NAMED_QUERY_NAME:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:8]
    return full[: MAX_NAMED_QUERY_NAME - 9].rstrip("-") + "-" + digest


def saved_queries(tables: RenderContext | Sequence[RenderContext], investigation: str, *,
                  validate: bool = True) -> list[SavedQuery]:
    """Every template each table's fields allow, rendered and checked; QueryError lists every problem.

    ``tables`` is one table or several (:func:`~flowkit.queries.render.contexts_for`: the VPC table and
    the transit gateway one). ``validate=False`` skips the checks (they need the Trino grammar, which
    only the CDK extra installs): for comparing with what a deployment already holds (``flowlogs doctor``).
    """
    contexts = (tables,) if isinstance(tables, RenderContext) else tuple(tables)
    templates = load_all()
    found: list[SavedQuery] = []
    problems: list[str] = []
    for ctx in contexts:
        rendered = render_all(ctx, templates=templates)
        if validate:
            # sqlglot and the Trino grammar: deploy time only
            from flowkit.queries.checks import validate_rendered

            problems += validate_rendered(rendered, ctx)
        found += [SavedQuery(r.name, named_query_name(investigation, r.name), r.description, r.sql, ctx.kind)
                  for r in rendered]
    problems += [f"query '{name}': name is used by queries of {count} tables"
                 for name, count in Counter(q.key for q in found).items() if count > 1]
    if problems:
        raise QueryError(problems)
    return found
