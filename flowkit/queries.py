"""The saved-query registry: SQL templates under ``sql/`` and their renderer.

Each ``sql/<name>.sql`` file starts with a header of SQL comments, then a Jinja2 body::

    -- name: flows-to-host-port
    -- description: Every flow to one address and port over one protocol.
    --   Indented comment lines continue the description (or the parameter above them).
    -- fields: dstaddr dstport protocol
    -- param: address ip  Destination IP address, e.g. 10.0.1.25
    -- param: port int(0..65535)  Destination port, e.g. 443
    -- param: min_ports int(1..65535) default=20  Fewest distinct ports that make a suspect
    SELECT ... FROM {{ database }}.{{ table }} WHERE {{ window }} AND dstaddr = {{ p.address }} ...

Header keys: ``name`` (must equal the file name without ``.sql``), ``description``, ``fields``
(hyphenated flow log fields the query needs besides ``start`` and ``log-status``, which every table
has), any number of ``param`` lines (kinds: string, int, ip, cidr, port_list; ``int`` may carry an
inclusive range). ``{{ p.<name> }}`` renders ``?``; parameters must be used once each, in header
order, because Athena binds ``?`` positionally.

Template variables: ``database``, ``table`` (quoted identifiers), ``window`` (time-window predicate),
``ok`` (``log_status = 'OK'``), ``fields`` (present column names), ``has(field)``, ``p``,
``account_column``, ``region_column``, ``time_column``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import jinja2

from flowkit import fields as catalogue
from flowkit.layout import (
    ACCOUNT_COLUMN,
    PARTITION_SLACK,
    REGION_COLUMN,
    TIME_COLUMN,
    Layout,
    to_utc,
)

if TYPE_CHECKING:
    from flowkit.settings import Settings

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"

ParamKind = Literal["string", "int", "ip", "cidr", "port_list"]
PARAM_KINDS: tuple[str, ...] = get_args(ParamKind)
STRING_KINDS = frozenset({"string", "ip", "cidr", "port_list"})
MAX_PARAMS = 25  # Athena's limit of ``?`` placeholders per query
MAX_NAMED_QUERY_NAME = 128
OK_PREDICATE = "log_status = 'OK'"

_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_PARAM_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_KEY_LINE = re.compile(r"^-- ([a-z]+):(?: (.*))?$")
_CONTINUATION = re.compile(r"^--\s{2,}(\S.*)$")
_KIND_RE = re.compile(r"^(?P<kind>[a-z_]+)(?:\((?P<lo>-?\d+)\.\.(?P<hi>-?\d+)\))?$")
_INT_RE = re.compile(r"^[+-]?\d+$")


class QueryError(Exception):
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


@dataclass(frozen=True)
class QueryTemplate:
    """One saved query: header metadata plus its Jinja2 body."""

    name: str
    description: str
    fields: tuple[str, ...]  # hyphenated flow log field names
    params: tuple[Param, ...]
    path: Path
    body: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class RenderContext:
    """What a template needs to know about the table it runs against."""

    database: str
    table: str
    fields: tuple[catalogue.Field, ...]
    layout: Layout
    lookback_days: int = 7

    @property
    def field_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields)


@dataclass(frozen=True)
class RenderedQuery:
    """A template rendered for one table: Athena SQL with positional ``?`` placeholders."""

    name: str
    description: str
    sql: str
    params: tuple[Param, ...]


# -- header parsing ----------------------------------------------------------------------------------
def _parse_param(text: str, where: str) -> Param:
    parts = text.split(None, 2)
    if len(parts) < 3:
        raise QueryError(f"{where}: 'param' needs '<name> <kind> [default=<value>] <description>'")
    name, kind_text, rest = parts
    if not _PARAM_NAME_RE.match(name):
        raise QueryError(f"{where}: bad parameter name '{name}' (lower-case letters, digits, '_')")
    m = _KIND_RE.match(kind_text)
    if not m or m["kind"] not in PARAM_KINDS:
        raise QueryError(f"{where}: parameter '{name}' has unknown kind '{kind_text}' "
                         f"(known: {', '.join(PARAM_KINDS)}; int may take a range like int(0..65535))")
    kind = m["kind"]
    minimum = maximum = None
    if m["lo"] is not None:
        if kind != "int":
            raise QueryError(f"{where}: parameter '{name}': only int takes a range")
        minimum, maximum = int(m["lo"]), int(m["hi"])
        if minimum > maximum:
            raise QueryError(f"{where}: parameter '{name}': empty range {kind_text}")
    default = None
    if rest.startswith("default="):
        default_text, _, rest = rest.partition(" ")
        default = default_text.removeprefix("default=")
        if not default:
            raise QueryError(f"{where}: parameter '{name}': empty default")
    description = rest.strip()
    if not description:
        raise QueryError(f"{where}: parameter '{name}' has no description")
    param = Param(name, description, kind, default, minimum, maximum)  # type: ignore[arg-type]
    if default is not None:
        try:
            _coerce_one(param, default)
        except QueryError as err:
            raise QueryError(f"{where}: bad default: {err}") from None
    return param


def parse_template(path: Path, text: str | None = None) -> QueryTemplate:
    """Parse one template file strictly; any problem raises QueryError naming the file."""
    where = str(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeError) as err:
            raise QueryError(f"{where}: cannot read ({err})") from None
    lines = text.splitlines()
    values: dict[str, str] = {}
    params: list[Param] = []
    param_texts: list[str] = []
    last_key = ""
    index = 0
    for index, line in enumerate(lines):
        if not line.startswith("--"):
            break
        lineno = index + 1
        cont = _CONTINUATION.match(line)
        if cont and last_key:
            if last_key == "param":
                param_texts[-1] += " " + cont[1].strip()
            elif last_key == "description":
                values["description"] = (values["description"] + " " + cont[1].strip()).strip()
            else:
                raise QueryError(f"{where}:{lineno}: continuation line after '{last_key}:'")
            continue
        m = _KEY_LINE.match(line.rstrip())
        if not m:
            raise QueryError(f"{where}:{lineno}: header line must look like '-- key: value', "
                             f"got {line!r}")
        key, value = m[1], (m[2] or "").strip()
        if key not in ("name", "description", "fields", "param"):
            raise QueryError(f"{where}:{lineno}: unknown header key '{key}' "
                             "(known: name, description, fields, param)")
        if key == "param":
            param_texts.append(value)
        elif key in values:
            raise QueryError(f"{where}:{lineno}: duplicate header key '{key}'")
        else:
            values[key] = value
        last_key = key
    else:
        index = len(lines)
    for key in ("name", "description", "fields"):
        if key not in values:
            raise QueryError(f"{where}: header has no '{key}:' line")
    name = values["name"]
    if not _NAME_RE.match(name):
        raise QueryError(f"{where}: bad query name '{name}' (lower-case words joined by '-')")
    if name != path.stem:
        raise QueryError(f"{where}: query name '{name}' differs from the file name '{path.stem}'")
    if not values["description"]:
        raise QueryError(f"{where}: empty description")
    field_names = tuple(values["fields"].split())
    unknown = [f for f in field_names if f not in catalogue.BY_NAME]
    if unknown:
        raise QueryError(f"{where}: unknown field(s) {', '.join(unknown)} (use hyphenated flow log names)")
    if len(set(field_names)) != len(field_names):
        raise QueryError(f"{where}: duplicate field in 'fields:'")
    for ptext in param_texts:
        params.append(_parse_param(ptext, where))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise QueryError(f"{where}: duplicate parameter name")
    if len(params) > MAX_PARAMS:
        raise QueryError(f"{where}: {len(params)} parameters; Athena allows at most {MAX_PARAMS}")
    body = "\n".join(lines[index:]).strip()
    if not body:
        raise QueryError(f"{where}: no SQL after the header")
    try:
        _ENV.parse(body)
    except jinja2.TemplateSyntaxError as err:
        raise QueryError(f"{where}: template syntax error at body line {err.lineno}: {err.message}") from None
    return QueryTemplate(name, values["description"], field_names, tuple(params), path, body)


def load_catalogue(sql_dir: Path | str = SQL_DIR) -> list[QueryTemplate]:
    """Every ``*.sql`` template of a folder, sorted by name (malformed files raise QueryError)."""
    folder = Path(sql_dir)
    if not folder.is_dir():
        raise QueryError(f"{folder}: query folder not found")
    templates = [parse_template(path) for path in sorted(folder.glob("*.sql"))]
    return sorted(templates, key=lambda t: t.name)


def find(name: str, templates: Sequence[QueryTemplate] | None = None) -> QueryTemplate:
    """The template called ``name``; QueryError listing the known names otherwise."""
    pool = load_catalogue() if templates is None else templates
    for template in pool:
        if template.name == name:
            return template
    raise QueryError(f"unknown query '{name}' (known: {', '.join(t.name for t in pool)})")


# -- rendering ---------------------------------------------------------------------------------------
_ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False,
    trim_blocks=True, lstrip_blocks=True,
)


def context_for(settings: Settings) -> RenderContext:
    return RenderContext(settings.database_name, settings.table_name, settings.fields, settings.layout,
                         settings.lookback_days)


def is_available(template: QueryTemplate, ctx: RenderContext) -> bool:
    """True when the table has every field the template needs."""
    present = ctx.field_names
    return all(f in present for f in template.fields)


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def timestamp_literal(when: datetime) -> str:
    """A Trino ``TIMESTAMP '...'`` literal of a UTC instant (naive datetimes are taken as UTC)."""
    utc = to_utc(when)
    text = utc.strftime("%Y-%m-%d %H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}"
    return f"TIMESTAMP '{text}'"


def window_predicate(ctx: RenderContext, since: datetime | None = None, until: datetime | None = None) -> str:
    """Records whose ``start`` lies in [since, until), with a ``dt`` range that prunes partitions.

    Files are keyed by the records' END time, so the upper ``dt`` bound reaches PARTITION_SLACK past
    ``until``. Without ``until`` the window ends at ``current_timestamp``; without ``since`` it starts
    ``lookback_days`` before its end.
    """
    if since is not None and until is not None and to_utc(since) >= to_utc(until):
        raise QueryError(f"empty time window: since ({to_utc(since):%Y-%m-%dT%H:%M:%SZ}) is not before "
                         f"until ({to_utc(until):%Y-%m-%dT%H:%M:%SZ})")
    end = timestamp_literal(until) if until is not None else "current_timestamp"
    if since is not None:
        begin = timestamp_literal(since)
    else:
        begin = f"{end} - INTERVAL '{int(ctx.lookback_days)}' DAY"
    slack_hours = int(PARTITION_SLACK.total_seconds() // 3600)
    pattern = ctx.layout.time_pattern.replace("'", "''")
    dt = TIME_COLUMN
    return (
        f"({dt} >= date_format({begin}, '{pattern}')"
        f" AND {dt} <= date_format({end} + INTERVAL '{slack_hours}' HOUR, '{pattern}')"
        f" AND start >= to_unixtime({begin})"
        f" AND start < to_unixtime({end}))"
    )


class _Placeholders:
    """``{{ p.name }}`` renders ``?`` and records the order parameters are used in."""

    def __init__(self, template: QueryTemplate) -> None:
        self._known = {p.name for p in template.params}
        self._where = str(template.path)
        self.used: list[str] = []

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._known:
            raise QueryError(f"{self._where}: template uses undeclared parameter '{name}'")
        self.used.append(name)
        return "?"


def render(template: QueryTemplate, ctx: RenderContext, since: datetime | None = None,
           until: datetime | None = None) -> str:
    """Athena SQL for one table and time window, with ``?`` in the template's parameter order."""
    placeholders = _Placeholders(template)
    present = tuple(f.column for f in ctx.fields)
    names = ctx.field_names
    variables: dict[str, Any] = {
        "database": quote_identifier(ctx.database),
        "table": quote_identifier(ctx.table),
        "window": window_predicate(ctx, since, until),
        "ok": OK_PREDICATE,
        "fields": present,
        "has": lambda name: name.replace("_", "-") in names,
        "p": placeholders,
        "account_column": ACCOUNT_COLUMN,
        "region_column": REGION_COLUMN,
        "time_column": TIME_COLUMN,
    }
    try:
        sql = _ENV.from_string(template.body).render(variables)
    except jinja2.UndefinedError as err:
        raise QueryError(f"{template.path}: {err.message}") from None
    expected = [p.name for p in template.params]
    if placeholders.used != expected:
        raise QueryError(f"{template.path}: parameters used as {placeholders.used or 'none'}, "
                         f"but the header declares {expected or 'none'} (each once, in header order)")
    return sql.strip().rstrip(";").rstrip() + "\n"


def render_all(
    settings_or_ctx: Settings | RenderContext,
    *,
    templates: Sequence[QueryTemplate] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[RenderedQuery]:
    """Every available template rendered for one table (templates needing absent fields are skipped)."""
    ctx = settings_or_ctx if isinstance(settings_or_ctx, RenderContext) else context_for(settings_or_ctx)
    pool = load_catalogue() if templates is None else templates
    return [
        RenderedQuery(t.name, t.description, render(t, ctx, since, until), t.params)
        for t in pool
        if is_available(t, ctx)
    ]


def named_query_name(investigation: str, query_name: str) -> str:
    """Athena named-query name ``<investigation>-<query>``, shortened with a hash if over 128 chars."""
    full = f"{investigation}-{query_name}"
    if len(full) <= MAX_NAMED_QUERY_NAME:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:8]
    return full[: MAX_NAMED_QUERY_NAME - 9].rstrip("-") + "-" + digest


# -- parameters --------------------------------------------------------------------------------------
def _coerce_one(param: Param, raw: str) -> str | int:
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
        result.append(_coerce_one(param, raw))
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

