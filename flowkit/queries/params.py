"""The ``?`` parameters of a saved query: their declaration, checking and binding.

Kinds: ``string``, ``int`` (optionally with an inclusive range), ``ip``, ``cidr``, ``port_list``.
Athena binds ``?`` positionally, only in WHERE clauses, at most 25 per query.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

from flowkit.errors import KitError

if TYPE_CHECKING:
    from flowkit.queries.template import QueryTemplate

ParamKind = Literal["string", "int", "ip", "cidr", "port_list"]
PARAM_KINDS: tuple[str, ...] = get_args(ParamKind)
STRING_KINDS = frozenset({"string", "ip", "cidr", "port_list"})
MAX_PARAMS = 25  # Athena's limit of ``?`` placeholders per query

_INT_RE = re.compile(r"^[+-]?\d+$")


class QueryError(KitError):
    """Unknown query, malformed template or bad parameter value; the message is one line."""


@dataclass(frozen=True)
class Param:
    """One ``?`` placeholder of a saved query."""

    name: str
    description: str
    kind: ParamKind
    default: str | None = None
    minimum: int | None = None  # inclusive bounds, ``int`` only
    maximum: int | None = None



def coerce_value(param: Param, raw: str) -> str | int:
    text = raw.strip()
    label = f"parameter '{param.name}'"
    if param.kind == "int":
        if not _INT_RE.match(text):
            raise QueryError(f"{label}: {raw!r} is not a whole number")
        value = int(text)
        if param.minimum is not None and param.maximum is not None and not (
            param.minimum <= value <= param.maximum
        ):
            raise QueryError(f"{label}: {value} is outside {param.minimum}..{param.maximum}")
        return value
    if param.kind == "ip":
        try:
            return str(ipaddress.ip_address(text))
        except ValueError:
            raise QueryError(f"{label}: {raw!r} is not an IPv4 or IPv6 address") from None
    if param.kind == "cidr":
        try:
            return str(ipaddress.ip_network(text, strict=True))
        except ValueError as err:
            raise QueryError(f"{label}: {raw!r} is not a CIDR block ({err})") from None
    if param.kind == "port_list":
        parts = [part.strip() for part in text.split(",")]
        if not text or any(not re.fullmatch(r"\d{1,5}", part) or int(part) > 65535 for part in parts):
            raise QueryError(f"{label}: {raw!r} is not a comma-separated list of ports 0-65535")
        return ",".join(str(int(part)) for part in parts)
    if not text:
        raise QueryError(f"{label}: empty value")
    return text


def coerce_params(template: QueryTemplate, values: Mapping[str, str]) -> list[str | int]:
    """Validated python values in ``?`` order, defaults applied; QueryError with one line otherwise.

    ``ip`` values are normalised (IPv6 to the compressed lower-case form), ``port_list`` to ``22,80``.
    """
    known = {p.name for p in template.params}
    unknown = sorted(set(values) - known)
    if unknown:
        hint = ", ".join(sorted(known)) or "none"
        raise QueryError(f"query '{template.name}': unknown parameter(s) {', '.join(unknown)} "
                         f"(it takes: {hint})")
    result: list[str | int] = []
    for param in template.params:
        raw = values.get(param.name, param.default)
        if raw is None:
            raise QueryError(f"missing parameter '{param.name}' ({param.kind}: {param.description})")
        result.append(coerce_value(param, raw))
    return result


def athena_execution_parameters(template: QueryTemplate, values: Sequence[str | int]) -> list[str]:
    """Values as Athena ``ExecutionParameters``: strings single-quoted (quotes doubled), ints bare."""
    if len(values) != len(template.params):
        raise QueryError(f"query '{template.name}' takes {len(template.params)} parameter(s), "
                         f"got {len(values)}")
    out: list[str] = []
    for param, value in zip(template.params, values, strict=True):
        if param.kind in STRING_KINDS:
            out.append("'" + str(value).replace("'", "''") + "'")
        else:
            out.append(str(int(value)))
    return out

