"""Athena (Trino) SQL -> DuckDB SQL, so the saved queries run unchanged on a local copy of the logs.

sqlglot does most of the work (``read="athena", write="duckdb"``). This module adds what it gets
wrong for the catalogue:

- ``contains(<cidr>, CAST(x AS IPADDRESS))`` becomes a DuckDB macro call (see :data:`MACROS`) with
  Trino's semantics for IPv4 and IPv6: addresses compare as 128-bit values, IPv4 as IPv4-mapped IPv6
  (``::ffff:a.b.c.d``), so ``10.0.0.0/8`` matches IPv4 addresses only; a value that is not an
  address gives NULL (Athena would fail the query). A literal block is worked out when translating
  (``flowkit_cidr_literal``, an integer range test for IPv4 text); a ``?`` block goes to
  ``flowkit_cidr_contains``.
- ``CAST(a AS IPADDRESS) = CAST(b AS IPADDRESS)`` (also ``<>``, ``IS [NOT] DISTINCT FROM``,
  ``IN (CAST(..), ..)``, TRY_CAST alike) compares ``flowkit_ip_key(a)`` with ``flowkit_ip_key(b)``:
  a canonical text that is equal exactly when Trino's 16-byte IPADDRESS values are (any case, leading
  zeros, '::' anywhere, IPv4 equal to ``::ffff:a.b.c.d``). A ``?`` or literal side is folded once by
  DuckDB. Text that is not an address gives NULL (Athena fails the query instead).
- integer division: Trino's ``bigint / bigint`` truncates, DuckDB's ``/`` does not; the expression
  is typed against the table schema first so sqlglot emits a truncating division.
- ``format(fmt, ...)`` (Java-style) becomes DuckDB's ``printf``; ``slice(a, start, length)`` becomes
  ``array_slice(a, start, start + length - 1)``.
Anything else with an IP type (other casts to IPADDRESS/IPPREFIX, ordering comparisons, ``is_subnet_of``)
is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from flowkit.errors import FAILED, KitError
from flowkit.local.macros import CONTAINS_MACRO, KEY_MACRO, LITERAL_MACRO
from flowkit.local.sqltext import first_line

if TYPE_CHECKING:
    from sqlglot.expressions import Expr

_MAPPED = 0xFFFF << 32  # ::ffff:0:0/96, where Trino keeps IPv4 addresses


class TranslateError(KitError):
    """Athena SQL the local engine cannot run; the message is one line."""

    status = FAILED


def translate(sql: str, schema: Mapping[str, Mapping[str, Mapping[str, str]]]) -> str:
    """DuckDB SQL for one rendered Athena query.

    ``schema`` is ``{database: {table: {column: duckdb_type}}}``; it types the expression so that
    integer division and column references are checked like Athena would.
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
    tree = _rewrite_ip(tree)
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
    return tree.sql(dialect="duckdb")


def _is_ip_type(data_type: object) -> bool:
    from sqlglot import exp

    return isinstance(data_type, exp.DataType) and data_type.this in (
        exp.DataType.Type.IPADDRESS, exp.DataType.Type.IPPREFIX)


def _rewrite_ip(tree: Expr) -> Expr:
    from sqlglot import exp

    equalities = (exp.EQ, exp.NEQ, exp.NullSafeEQ, exp.NullSafeNEQ)

    def visit(node: Expr) -> Expr:
        if (
            isinstance(node, exp.ArrayContains)
            and isinstance(node.expression, exp.Cast)
            and _is_ip_type(node.expression.to)
        ):
            address = node.expression.this.copy()
            if isinstance(node.this, exp.Literal) and node.this.is_string:
                return _literal_block(str(node.this.this), address)
            return exp.Anonymous(this=CONTAINS_MACRO, expressions=[node.this.copy(), address])
        if isinstance(node, equalities) and _is_ip_cast(node.this) and _is_ip_cast(node.expression):
            return type(node)(this=_ip_key(node.this), expression=_ip_key(node.expression))
        if (
            isinstance(node, exp.In)
            and _is_ip_cast(node.this)
            and node.expressions
            and all(_is_ip_cast(e) for e in node.expressions)
        ):
            return exp.In(this=_ip_key(node.this), expressions=[_ip_key(e) for e in node.expressions])
        if isinstance(node, exp.Anonymous) and str(node.this).lower() in ("is_subnet_of", "ip_subnet_range"):
            raise TranslateError(f"unsupported locally: {node.this}() "
                                 "(use contains('<cidr>', CAST(x AS IPADDRESS)))")
        return node

    return tree.transform(visit)


def _is_ip_cast(node: object) -> bool:
    from sqlglot import exp

    return isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.IPADDRESS


def _ip_key(cast: Expr) -> Expr:
    """flowkit_ip_key(x) for CAST(x AS IPADDRESS) (TRY_CAST too: both give NULL locally)."""
    from sqlglot import exp

    return exp.Anonymous(this=KEY_MACRO, expressions=[cast.this.copy()])


def _literal_block(cidr: str, address: Expr) -> Expr:
    """flowkit_cidr_literal(address, lo, hi, bits) for a CIDR block known when translating."""
    import ipaddress

    from sqlglot import exp

    try:
        net = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        raise TranslateError(f"not a CIDR block: {cidr!r}") from None
    value, length = int(net.network_address), net.prefixlen
    if net.version == 4:
        value, length = _MAPPED | value, length + 96
    bits = format(value, "0128b")[:length]
    mapped = format(_MAPPED, "0128b")[:96]
    lo, hi = 1, 0  # no IPv4 address
    if length <= 96 and mapped.startswith(bits):
        lo, hi = 0, 2**32 - 1
    elif length > 96 and bits.startswith(mapped):
        lo = value & 0xFFFFFFFF
        hi = lo + 2 ** (128 - length) - 1
    return exp.Anonymous(this=LITERAL_MACRO, expressions=[
        address, exp.Literal.number(lo), exp.Literal.number(hi), exp.Literal.string(bits)])


def _rewrite_functions(tree: Expr) -> Expr:
    from sqlglot import exp

    def visit(node: Expr) -> Expr:
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

