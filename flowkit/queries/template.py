"""Saved-query templates: one ``sql/<name>.sql`` file each, a header of SQL comments then Jinja2.

Each ``sql/<name>.sql`` file starts with a header of SQL comments, then a Jinja2 body::

    -- name: flows-to-host-port
    -- description: Every flow to one address and port over one protocol.
    --   Indented comment lines continue the description (or the fields or parameter above them).
    -- fields: dstaddr dstport protocol
    -- param: address ip  Destination IP address, e.g. 10.0.1.25
    -- param: port int(0..65535)  Destination port, e.g. 443
    -- param: min_ports int(1..65535) default=20  Fewest distinct ports that make a suspect
    SELECT ... FROM {{ database }}.{{ table }} WHERE {{ window }} AND dstaddr = {{ p.address }} ...

Header keys: ``name`` (must equal the file name without ``.sql``), ``description``, ``fields``
(hyphenated flow log fields of the template's table the query needs besides ``start`` and
``log-status``, which every table has; :mod:`flowkit.queries.tables` says which table), any number
of ``param`` lines (kinds: string, int, ip, cidr, port_list; ``int`` may carry an
inclusive range). ``{{ p.<name> }}`` renders ``?``; parameters must be used once each, in header
order, because Athena binds ``?`` positionally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from flowkit.queries.params import MAX_PARAMS, PARAM_KINDS, Param, QueryError, coerce_value
from flowkit.queries.tables import CATALOGUES, VPC, TableKind

_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_PARAM_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_KEY_LINE = re.compile(r"^-- ([a-z]+):(?: (.*))?$")
_CONTINUATION = re.compile(r"^--\s{2,}(\S.*)$")
_KIND_RE = re.compile(r"^(?P<kind>[a-z_]+)(?:\((?P<lo>-?\d+)\.\.(?P<hi>-?\d+)\))?$")

# One Jinja environment for checking templates here and rendering them (flowkit.queries.render).
ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False,
    trim_blocks=True, lstrip_blocks=True,
)


@dataclass(frozen=True)
class QueryTemplate:
    """One saved query: header metadata plus its Jinja2 body."""

    name: str
    description: str
    fields: tuple[str, ...]  # hyphenated flow log field names
    params: tuple[Param, ...]
    path: Path
    body: str = field(default="", repr=False, compare=False)
    table: TableKind = VPC  # the table it reads



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
            coerce_value(param, default)
        except QueryError as err:
            raise QueryError(f"{where}: bad default: {err}") from None
    return param


def parse_template(path: Path, text: str | None = None, table: TableKind = VPC) -> QueryTemplate:
    """Parse one template of ``table`` strictly; any problem raises QueryError naming the file."""
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
            elif last_key in ("description", "fields"):
                values[last_key] = (values[last_key] + " " + cont[1].strip()).strip()
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
    fields_of_table = CATALOGUES[table]
    unknown = [f for f in field_names if f not in fields_of_table.by_name]
    if unknown:
        raise QueryError(f"{where}: unknown field(s) {', '.join(unknown)} (use hyphenated "
                         f"{fields_of_table.title} flow log names)")
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
        ENV.parse(body)
    except jinja2.TemplateSyntaxError as err:
        raise QueryError(f"{where}: template syntax error at body line {err.lineno}: {err.message}") from None
    return QueryTemplate(name, values["description"], field_names, tuple(params), path, body, table)
