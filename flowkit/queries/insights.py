"""Saved CloudWatch Logs Insights queries: ``insights/<name>.cwli`` templates rendered for a log format.

A template has the header of the SQL ones (``-- name:``, ``description``, ``fields``, ``param``; see
:mod:`flowkit.queries.template`) and a Jinja body in the Logs Insights query language. Logs Insights
names the fields of flow log records only for the AWS default format, and then not as the format does
(``srcAddr``), so every query starts with ``{{ parse }}``: ``parse @message "* * ..." as version,
account_id, ...``, one ``*`` per field of the deployed LogFormat in its order, each named by its table
column (as the SQL names it). It is generated from the field catalogue, so it works for any custom
format and matches what is delivered.

Template variables: ``parse``, ``ok`` (``log_status = "OK"``), ``fields`` (column names present),
``has(field)``, and ``p``: ``{{ p.name }}`` renders the Logs Insights query parameter ``{{name}}`` in a
saved query definition (quoted for text, in brackets for a port list), or the value itself, written as
a Logs Insights literal, when the kit runs the query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from flowkit import catalogue
from flowkit.queries.library import data_dir, load_catalogue
from flowkit.queries.params import Param, QueryError
from flowkit.queries.template import ENV, QueryTemplate

INSIGHTS_DIR = data_dir("insights")
SUFFIX = ".cwli"
OK_FILTER = 'log_status = "OK"'
MAX_PARAMETERS = 20  # AWS::Logs::QueryDefinition Parameters
MAX_QUERY_STRING = 10_000  # AWS::Logs::QueryDefinition QueryString
MAX_NAME = 255  # AWS::Logs::QueryDefinition Name
MAX_PARAMETER_DESCRIPTION = 512
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def load_insights(folder: Path | str = INSIGHTS_DIR) -> list[QueryTemplate]:
    """Every ``*.cwli`` template of a folder, sorted by name."""
    return load_catalogue(folder, SUFFIX)


def parse_command(fields: Sequence[catalogue.Field]) -> str:
    """``parse @message "* * ..." as a, b, ...``: one wildcard per field, in LogFormat order."""
    pattern = " ".join("*" for _ in fields)
    return f'parse @message "{pattern}" as ' + ", ".join(f.column for f in fields)


def placeholder(param: Param) -> str:
    """The Logs Insights query parameter of a saved definition, written where its value goes."""
    name = "{{" + param.name + "}}"
    if param.kind == "int":
        return name
    return f"[{name}]" if param.kind == "port_list" else f'"{name}"'


def literal(param: Param, value: str | int) -> str:
    """A checked value (:func:`flowkit.queries.coerce_params`) as a Logs Insights literal."""
    if param.kind == "int":
        return str(int(value))
    if param.kind == "port_list":
        return f"[{value}]"
    text = str(value)
    if any(char in text for char in '"\\\n\r'):
        raise QueryError(f"parameter '{param.name}': {text!r} holds a quote, backslash or line break, "
                         "which a Logs Insights string cannot take here")
    return f'"{text}"'


class _Parameters:
    """``{{ p.name }}``: the placeholder, or the value when ``values`` (in header order) are given."""

    def __init__(self, template: QueryTemplate, values: Sequence[str | int] | None) -> None:
        self._params = {p.name: p for p in template.params}
        self._values = dict(zip(self._params, values, strict=True)) if values is not None else None
        self._where = str(template.path)
        self.used: set[str] = set()

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._params:
            raise QueryError(f"{self._where}: template uses undeclared parameter '{name}'")
        self.used.add(name)
        param = self._params[name]
        return placeholder(param) if self._values is None else literal(param, self._values[name])


def render_insights(template: QueryTemplate, fields: Sequence[catalogue.Field],
                    values: Sequence[str | int] | None = None) -> str:
    """The query for records of ``fields`` (LogFormat order); placeholders, or ``values`` in header order."""
    if values is not None and len(values) != len(template.params):
        raise QueryError(f"query '{template.name}' takes {len(template.params)} parameter(s), "
                         f"got {len(values)}")
    params = _Parameters(template, values)
    names = {f.name for f in fields}
    variables: dict[str, Any] = {
        "parse": parse_command(fields),
        "ok": OK_FILTER,
        "fields": tuple(f.column for f in fields),
        "has": lambda name: name.replace("_", "-") in names,
        "p": params,
    }
    try:
        text = ENV.from_string(template.body).render(variables)
    except jinja2.UndefinedError as err:
        raise QueryError(f"{template.path}: {err.message}") from None
    unused = [p.name for p in template.params if p.name not in params.used]
    if unused:
        raise QueryError(f"{template.path}: parameter(s) {', '.join(unused)} declared but not used")
    return text.strip() + "\n"


def needs_missing(template: QueryTemplate, fields: Sequence[catalogue.Field]) -> list[str]:
    """The fields a template needs that ``fields`` lack (empty: it can run on records of that format)."""
    names = {f.name for f in fields}
    return [f for f in template.fields if f not in names]


@dataclass(frozen=True)
class InsightsQuery:
    """One saved Logs Insights query definition."""

    key: str  # the template's name: the construct id, stable when other queries come and go
    name: str  # "<folder>/<query>": the console shows the folder
    description: str
    query_string: str
    params: tuple[Param, ...]


def folder_name(investigation: str) -> str:
    """The console folder of an investigation's saved Logs Insights queries."""
    return f"flowlogs-{investigation}"


def insights_queries(fields: Sequence[catalogue.Field], investigation: str,
                     templates: Sequence[QueryTemplate] | None = None) -> list[InsightsQuery]:
    """Every template the format's fields allow, rendered with placeholders and checked (QueryError)."""
    pool = load_insights() if templates is None else templates
    found = [InsightsQuery(t.name, f"{folder_name(investigation)}/{t.name}", t.description,
                           render_insights(t, fields), t.params)
             for t in pool if not needs_missing(t, fields)]
    problems = [f"Logs Insights query '{q.key}': {problem}" for q in found for problem in _problems(q)]
    if problems:
        raise QueryError(problems)
    return found


def _problems(query: InsightsQuery) -> list[str]:
    found = []
    if len(query.name) > MAX_NAME:
        found.append(f"name longer than {MAX_NAME} characters")
    if len(query.query_string) > MAX_QUERY_STRING:
        found.append(f"query longer than {MAX_QUERY_STRING} characters (CloudWatch Logs' limit)")
    if len(query.params) > MAX_PARAMETERS:
        found.append(f"{len(query.params)} parameters; a saved query takes at most {MAX_PARAMETERS}")
    if any(len(p.description) > MAX_PARAMETER_DESCRIPTION for p in query.params):
        found.append(f"a parameter description is longer than {MAX_PARAMETER_DESCRIPTION} characters")
    if "{%" in query.query_string or "{#" in query.query_string:
        found.append("Jinja syntax left in the rendered query")
    declared = {p.name for p in query.params}
    stray = sorted(set(_PLACEHOLDER.findall(query.query_string)) - declared)
    if stray or query.query_string.count("{{") != len(_PLACEHOLDER.findall(query.query_string)):
        found.append(f"'{{{{' that is not a declared parameter: {', '.join(stray) or 'malformed'}")
    return found
