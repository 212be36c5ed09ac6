"""Static checks of rendered saved queries, so a broken template fails the tests, not a deploy.

Each rendered query must parse with a Trino grammar (trino-sql-validator) and with sqlglot's Athena
dialect, read only the investigation's table, name only columns that table has, filter every SELECT
that reads the table on the time partition ``dt`` and on ``start`` (both bounds), and use ``?``
placeholders only in WHERE clauses, exactly one per declared parameter (Athena allows 25).
Names and descriptions must be unique and fit Athena's named-query limits.

Where Trino (which the real-engine tests run on) is more lenient than Athena, the check is here:
``?`` only in WHERE (above), no unquoted word that Athena reserves beyond Trino's own, and only
functions Athena engine version 3 is known to have.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import sqlglot
import trino_sql_validator
from sqlglot import exp
from sqlglot.errors import OptimizeError, ParseError
from sqlglot.optimizer.qualify import qualify

from flowkit.layout import PARTITION_COLUMNS, TIME_COLUMN
from flowkit.queries.params import MAX_PARAMS
from flowkit.queries.render import RenderContext, RenderedQuery
from flowkit.queries.saved import MAX_NAMED_QUERY_NAME

MAX_DESCRIPTION = 1024  # Athena NamedQuery Description
# Words Athena reserves in SELECT statements that Trino does not (Trino's own are refused by its grammar).
ATHENA_ONLY_RESERVED = frozenset({"FIRST", "LAST", "OF"})
# Functions a saved query may call (sqlglot's names for them). Every one already exists in Athena
# engine version 2 (Presto 0.217), which engine version 3 keeps; Trino 483 has newer ones Athena may
# not. Add a function only after checking that Athena engine version 3 documents it.
ATHENA_FUNCTIONS = frozenset({
    "AND", "OR", "CASE", "CAST", "TRY_CAST", "IF", "COALESCE", "COUNT", "COUNT_IF", "SUM", "MIN", "MAX",
    "AVG", "APPROX_DISTINCT", "ARRAY_AGG", "ARRAY_CONTAINS", "CURRENT_TIMESTAMP", "TIME_TO_STR",
    "TIME_TO_UNIX", "UNIX_TO_TIME", "STR_POSITION", "SPLIT", "TRANSFORM", "TRIM", "LOWER", "UPPER",
    "CONCAT", "ROUND", "GREATEST", "LEAST", "BITWISE_AND", "ABS",
})
MAX_QUERY_STRING = 262_144  # Athena NamedQuery QueryString


def table_schema(ctx: RenderContext) -> dict[str, Any]:
    """sqlglot schema of the investigation's table: data columns plus partition columns."""
    columns = {f.column: f.sql_type for f in ctx.fields}
    columns.update({name: "varchar" for name in PARTITION_COLUMNS})
    return {ctx.database: {ctx.table: columns}}


def validate_rendered(rendered: Sequence[RenderedQuery], ctx: RenderContext) -> list[str]:
    """One line per problem, ``query '<name>': <problem>``; empty when every query is fine."""
    problems: list[str] = []
    names = Counter(r.name for r in rendered)
    descriptions = Counter(r.description.strip() for r in rendered)
    seen_names: set[str] = set()
    seen_descriptions: set[str] = set()
    for query in rendered:
        found = list(_check_one(query, ctx))
        description = query.description.strip()
        if names[query.name] > 1 and query.name not in seen_names:
            found.append(f"name is used by {names[query.name]} queries")
        if description and descriptions[description] > 1 and description not in seen_descriptions:
            found.append(f"description is shared by {descriptions[description]} queries")
        seen_names.add(query.name)
        seen_descriptions.add(description)
        problems.extend(f"query '{query.name}': {problem}" for problem in found)
    return problems


def _check_one(query: RenderedQuery, ctx: RenderContext) -> Iterator[str]:
    if not query.name or len(query.name) > MAX_NAMED_QUERY_NAME:
        yield f"name must be 1-{MAX_NAMED_QUERY_NAME} characters"
    if not query.description.strip():
        yield "empty description"
    elif len(query.description) > MAX_DESCRIPTION:
        yield f"description longer than {MAX_DESCRIPTION} characters (Athena's limit)"
    if len(query.sql.encode()) > MAX_QUERY_STRING:
        yield f"SQL longer than {MAX_QUERY_STRING} bytes (Athena's limit)"
    if len(query.params) > MAX_PARAMS:
        yield f"{len(query.params)} parameters; Athena allows at most {MAX_PARAMS}"

    trino = trino_sql_validator.validate(query.sql, dialect="trino", jinja="reject")
    if not trino.valid:
        yield f"not valid Trino SQL: {trino.error}"
        return
    if trino.statement_count != 1:
        yield f"holds {trino.statement_count} statements, expected 1"
        return
    for warning in trino.warnings:
        if not isinstance(warning, trino_sql_validator.AliasWarning):
            yield f"Trino grammar check: {warning}"

    try:
        statements = sqlglot.parse(query.sql, read="athena")
    except ParseError as err:
        yield f"sqlglot cannot parse it as Athena SQL: {str(err).splitlines()[0]}"
        return
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        yield "is not a single SELECT query"
        return
    tree = statements[0]

    yield from _check_placeholders(tree, len(query.params))
    yield from _check_athena_only(tree)
    bad_tables = [t.sql(dialect="athena") for t in tree.find_all(exp.Table)
                  if not _is_ctx_table(t, ctx) and not _is_cte_reference(t, tree)]
    if bad_tables:
        yield f"reads table(s) other than \"{ctx.database}\".\"{ctx.table}\": {', '.join(bad_tables)}"
        return
    try:
        qualify(tree.copy(), schema=table_schema(ctx), dialect="athena", validate_qualify_columns=True,
                quote_identifiers=False, identify=False)
    except OptimizeError as err:
        yield f"unknown column or alias: {err}"
    yield from _check_window(tree, ctx)


def _check_placeholders(tree: exp.Expr, expected: int) -> Iterator[str]:
    placeholders = list(tree.find_all(exp.Placeholder))
    if len(placeholders) != expected:
        yield f"has {len(placeholders)} '?' placeholder(s) but {expected} parameter(s)"
    if len(placeholders) > MAX_PARAMS:
        yield f"has {len(placeholders)} '?' placeholders; Athena allows at most {MAX_PARAMS}"
    outside = [p for p in placeholders
               if not isinstance(p.find_ancestor(exp.Where, exp.Select, exp.Join, exp.Having), exp.Where)]
    if outside:
        yield f"{len(outside)} '?' placeholder(s) outside a WHERE clause (Athena binds them only there)"


def _check_athena_only(tree: exp.Expr) -> Iterator[str]:
    """What Trino accepts and Athena refuses: reserved words as plain names, functions it lacks."""
    reserved = sorted({i.name for i in tree.find_all(exp.Identifier)
                       if not i.quoted and i.name.upper() in ATHENA_ONLY_RESERVED})
    if reserved:
        yield f"uses {', '.join(reserved)} unquoted, which Athena reserves; write it in double quotes"
    calls = {(f.name if isinstance(f, exp.Anonymous) else f.sql_name()).upper()
             for f in tree.find_all(exp.Func)}
    unknown = sorted(calls - ATHENA_FUNCTIONS)
    if unknown:
        yield (f"calls {', '.join(unknown)}, not known to exist in Athena engine version 3 "
               "(check Athena's documentation, then add it to flowkit.queries.checks.ATHENA_FUNCTIONS)")


def _is_ctx_table(table: exp.Table, ctx: RenderContext) -> bool:
    return table.name == ctx.table and table.db == ctx.database and not table.catalog


def _is_cte_reference(table: exp.Table, tree: exp.Expr) -> bool:
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return not table.db and table.name in ctes


def _conjuncts(condition: exp.Expr) -> Iterator[exp.Expr]:
    if isinstance(condition, exp.And):
        yield from _conjuncts(condition.left)
        yield from _conjuncts(condition.right)
    elif isinstance(condition, exp.Paren):
        yield from _conjuncts(condition.this)
    else:
        yield condition


def _bounds(where: exp.Where | None, column: str) -> set[str]:
    """Which bounds ('lower', 'upper') the top-level AND terms of a WHERE put on a bare column."""
    found: set[str] = set()
    if where is None:
        return found
    for term in _conjuncts(where.this):
        if isinstance(term, exp.GTE | exp.GT | exp.LTE | exp.LT):
            left, right = term.left, term.right
            if isinstance(left, exp.Column) and left.name == column:
                found.add("lower" if isinstance(term, exp.GTE | exp.GT) else "upper")
            elif isinstance(right, exp.Column) and right.name == column:
                found.add("upper" if isinstance(term, exp.GTE | exp.GT) else "lower")
    return found


def _check_window(tree: exp.Expr, ctx: RenderContext) -> Iterator[str]:
    for select in tree.find_all(exp.Select):
        sources = [select.args.get("from_") or select.args.get("from")]
        sources += list(select.args.get("joins") or [])
        reads_table = any(isinstance(source.this, exp.Table) and _is_ctx_table(source.this, ctx)
                          for source in sources if source is not None)
        if not reads_table:
            continue
        where = select.args.get("where")
        for column, why in ((TIME_COLUMN, "the time partition (full scan)"), ("start", "record start time")):
            missing = {"lower", "upper"} - _bounds(where, column)
            if missing:
                yield (f"a SELECT reading the table has no {' and no '.join(sorted(missing))} bound on "
                       f"{column}, {why}; use {{{{ window }}}}")
