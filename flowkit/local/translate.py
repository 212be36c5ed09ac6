"""Athena (Trino) SQL -> DuckDB SQL, so the saved queries run unchanged on a local copy of the logs.

sqlglot does most of the work (``read="athena", write="duckdb"``). This module adds what it gets
wrong for the catalogue:

- IP addresses compare as Trino's 128-bit IPADDRESS values, IPv4 as IPv4-mapped IPv6
  (``::ffff:a.b.c.d``), so ``10.0.0.0/8`` matches IPv4 addresses only; text that is not an address
  gives NULL (Athena would fail the query). Given ``ip_columns`` (address column -> a column holding
  its value, as the store has for ``srcaddr`` and ``dstaddr``), ``CAST(srcaddr AS IPADDRESS)`` reads
  that value: ``contains('<cidr>', ...)`` becomes one integer range test (the block is worked out when
  translating) and an equality one integer comparison. Any other address text goes through the
  macros of :data:`MACROS` (``flowkit_cidr_literal``, ``flowkit_cidr_contains``, ``flowkit_ip_value``).
- ``CAST(a AS IPADDRESS) = CAST(b AS IPADDRESS)`` (also ``<>``, ``IS [NOT] DISTINCT FROM``,
  ``IN (CAST(..), ..)``, TRY_CAST alike) compares the two values; a ``?`` or literal side is one
  constant for DuckDB.
- integer division: Trino's ``bigint / bigint`` truncates, DuckDB's ``/`` does not; the expression
  is typed against the table schema first so sqlglot emits a truncating division.
- ``format(fmt, ...)`` (Java-style) becomes DuckDB's ``printf``; ``slice(a, start, length)`` becomes
  ``array_slice(a, start, start + length - 1)``.
- aggregates over no rows: Trino's ``count_if`` gives 0, DuckDB's NULL, so it is wrapped in
  ``coalesce(..., 0)``. The other aggregates a saved query may call agree already (``count`` and
  ``approx_distinct`` 0; ``sum``, ``min``, ``max``, ``avg`` and ``array_agg`` NULL).
Anything else with an IP type (other casts to IPADDRESS/IPPREFIX, ordering comparisons, ``is_subnet_of``)
is refused. ``SELECT *`` from the table leaves the value columns out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from flowkit.errors import FAILED, KitError
from flowkit.local.macros import (
    CONTAINS_MACRO,
    LITERAL_MACRO,
    MAPPED_BASE,
    RANGE_MACRO,
    VALUE_CONTAINS_MACRO,
    VALUE_MACRO,
)
from flowkit.local.sqltext import first_line

if TYPE_CHECKING:
    from sqlglot.expressions import Expr

IpColumns = Mapping[str, str]  # address column -> the column holding its 128-bit value


class TranslateError(KitError):
    """Athena SQL the local engine cannot run; the message is one line."""

    status = FAILED


def translate(sql: str, schema: Mapping[str, Mapping[str, Mapping[str, str]]],
              ip_columns: IpColumns | None = None) -> str:
    """DuckDB SQL for one rendered Athena query.

    ``schema`` is ``{database: {table: {column: duckdb_type}}}``; it types the expression so that
    integer division and column references are checked like Athena would. ``ip_columns`` names the
    columns of the table that hold the value of an address column (they are in ``schema`` too).
    """
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError
    from sqlglot.optimizer.annotate_types import annotate_types
    from sqlglot.optimizer.qualify import qualify

    try:
        tree = sqlglot.parse_one(sql, read="athena")
    except ParseError as err:
        raise TranslateError(f"cannot parse the Athena SQL: {first_line(err)}") from None
    tree = _rewrite_ip(tree, ip_columns or {})
    tree = _rewrite_functions(tree)
    try:
        tree = qualify(tree, dialect="athena", schema=dict(schema), quote_identifiers=False,
                       expand_stars=False, validate_qualify_columns=True)
        tree = annotate_types(tree, schema=dict(schema), dialect="athena")
    except sqlglot.errors.OptimizeError as err:
        raise TranslateError(f"the query does not fit the table: {first_line(err)}") from None
    leftover = [c for c in tree.find_all(exp.Cast) if _is_ip_type(c.to)]
    if leftover:
        raise TranslateError(f"unsupported locally: {leftover[0].sql('athena')} "
                             "(IP types only work inside contains('<cidr>', CAST(x AS IPADDRESS)) and "
                             "CAST(x AS IPADDRESS) = CAST(y AS IPADDRESS))")
    if ip_columns:
        _hide_value_columns(tree, schema, ip_columns)
    return tree.sql(dialect="duckdb")


def _hide_value_columns(tree: Expr, schema: Mapping[str, Mapping[str, Mapping[str, str]]],
                        ip_columns: IpColumns) -> None:
    """``SELECT *`` straight from the table leaves out the value columns (Athena's table has none)."""
    from sqlglot import exp

    tables = {name for tables in schema.values() for name in tables}
    for select in tree.find_all(exp.Select):
        source = select.args.get("from_") or select.args.get("from")
        if select.args.get("joins") or source is None or not isinstance(source.this, exp.Table):
            continue
        if source.this.name not in tables:
            continue
        for star in select.expressions:
            if isinstance(star, exp.Star):
                star.set("except_", [exp.column(c) for c in ip_columns.values()])


def _is_ip_type(data_type: object) -> bool:
    from sqlglot import exp

    return isinstance(data_type, exp.DataType) and data_type.this in (
        exp.DataType.Type.IPADDRESS, exp.DataType.Type.IPPREFIX)


def _rewrite_ip(tree: Expr, ip_columns: IpColumns) -> Expr:
    from sqlglot import exp

    equalities = (exp.EQ, exp.NEQ, exp.NullSafeEQ, exp.NullSafeNEQ)

    def visit(node: Expr) -> Expr:
        if (
            isinstance(node, exp.ArrayContains)
            and isinstance(node.expression, exp.Cast)
            and _is_ip_type(node.expression.to)
        ):
            address = node.expression.this
            stored = _stored_value(address, ip_columns)
            literal = isinstance(node.this, exp.Literal) and node.this.is_string
            if stored is not None:
                if literal:
                    low, high = _block_range(str(node.this.this))
                    return exp.Anonymous(this=RANGE_MACRO, expressions=[
                        stored, exp.Literal.string(str(low)), exp.Literal.string(str(high))])
                return exp.Anonymous(this=VALUE_CONTAINS_MACRO, expressions=[node.this.copy(), stored])
            if literal:
                return _literal_block(str(node.this.this), address.copy())
            return exp.Anonymous(this=CONTAINS_MACRO, expressions=[node.this.copy(), address.copy()])
        if isinstance(node, equalities) and _is_ip_cast(node.this) and _is_ip_cast(node.expression):
            return type(node)(this=_ip_value(node.this, ip_columns),
                              expression=_ip_value(node.expression, ip_columns))
        if (
            isinstance(node, exp.In)
            and _is_ip_cast(node.this)
            and node.expressions
            and all(_is_ip_cast(e) for e in node.expressions)
        ):
            return exp.In(this=_ip_value(node.this, ip_columns),
                          expressions=[_ip_value(e, ip_columns) for e in node.expressions])
        if isinstance(node, exp.Anonymous) and str(node.this).lower() in ("is_subnet_of", "ip_subnet_range"):
            raise TranslateError(f"unsupported locally: {node.this}() "
                                 "(use contains('<cidr>', CAST(x AS IPADDRESS)))")
        return node

    return tree.transform(visit)


def _is_ip_cast(node: object) -> bool:
    from sqlglot import exp

    return isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.IPADDRESS


def _stored_value(address: Expr, ip_columns: IpColumns) -> Expr | None:
    """The column holding the value of ``address`` when it is an address column of the table."""
    from sqlglot import exp

    if isinstance(address, exp.Column) and address.name in ip_columns:
        return exp.column(ip_columns[address.name], table=address.table or None)
    return None


def _ip_value(cast: Expr, ip_columns: IpColumns) -> Expr:
    """The 128-bit value of CAST(x AS IPADDRESS) (TRY_CAST too: both give NULL locally)."""
    from sqlglot import exp

    stored = _stored_value(cast.this, ip_columns)
    return stored if stored is not None else exp.Anonymous(this=VALUE_MACRO, expressions=[cast.this.copy()])


def _block_range(cidr: str) -> tuple[int, int]:
    """The first and last 128-bit value of a CIDR block (IPv4 blocks as IPv4-mapped IPv6)."""
    import ipaddress

    try:
        net = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        raise TranslateError(f"not a CIDR block: {cidr!r}") from None
    low, high = int(net.network_address), int(net.broadcast_address)
    return (MAPPED_BASE | low, MAPPED_BASE | high) if net.version == 4 else (low, high)


def _literal_block(cidr: str, address: Expr) -> Expr:
    """flowkit_cidr_literal(address, lo, hi, bits) for a CIDR block known when translating."""
    from sqlglot import exp

    low, high = _block_range(cidr)
    length = 128 - (high - low).bit_length()
    bits = format(low, "0128b")[:length]
    mapped = format(MAPPED_BASE, "0128b")[:96]
    lo, hi = 1, 0  # no IPv4 address
    if length <= 96 and mapped.startswith(bits):
        lo, hi = 0, 2**32 - 1
    elif length > 96 and bits.startswith(mapped):
        lo, hi = low & 0xFFFFFFFF, high & 0xFFFFFFFF
    return exp.Anonymous(this=LITERAL_MACRO, expressions=[
        address, exp.Literal.number(lo), exp.Literal.number(hi), exp.Literal.string(bits)])


def _rewrite_functions(tree: Expr) -> Expr:
    from sqlglot import exp

    def visit(node: Expr) -> Expr:
        aggregate = node.this if isinstance(node, exp.Window) else node
        if isinstance(aggregate, exp.CountIf):  # the whole window, or the bare aggregate
            return exp.Coalesce(this=node.copy(), expressions=[exp.Literal.number(0)])
        if isinstance(node, exp.Format):
            args = [node.this.copy(), *(a.copy() for a in node.expressions)]
            return exp.Anonymous(this="printf", expressions=args)
        if isinstance(node, exp.ArraySlice):
            # Trino slice(array, start, length); DuckDB array_slice(list, begin, end) (inclusive)
            start, length = node.args.get("start"), node.args.get("end")
            if start is None or length is None:
                raise TranslateError("unsupported locally: slice() needs (array, start, length)")
            end = exp.Sub(this=exp.Add(this=start.copy(), expression=length.copy()),
                          expression=exp.Literal.number(1))
            return exp.Anonymous(this="array_slice",
                                 expressions=[node.this.copy(), start.copy(), exp.Paren(this=end)])
        return node

    return tree.transform(visit)

