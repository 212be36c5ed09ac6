"""The shipped saved-query templates: where they live and how to look one up.

The templates live in the repository's top-level ``sql/`` folder (and the Logs Insights ones in
``insights/``); a built wheel carries the same files as package data in ``flowkit/queries/sql/`` and
``flowkit/queries/insights/`` (pyproject maps those packages to the folders), so the installed
``flowlogs`` command finds them from any folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flowkit.queries.params import QueryError
from flowkit.queries.template import QueryTemplate, parse_template

_HERE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """A template folder: the installed package's copy when there is one, else the source tree's."""
    packaged = _HERE / name
    return packaged if packaged.is_dir() else _HERE.parents[1] / name


SQL_DIR = data_dir("sql")


def load_catalogue(sql_dir: Path | str = SQL_DIR, suffix: str = ".sql") -> list[QueryTemplate]:
    """Every ``*<suffix>`` template of a folder, sorted by name (malformed files raise QueryError)."""
    folder = Path(sql_dir)
    if not folder.is_dir():
        raise QueryError(f"{folder}: query folder not found")
    templates = [parse_template(path) for path in sorted(folder.glob("*" + suffix))]
    return sorted(templates, key=lambda t: t.name)


def find(name: str, templates: Sequence[QueryTemplate] | None = None) -> QueryTemplate:
    """The template called ``name``; QueryError listing the known names otherwise."""
    pool = load_catalogue() if templates is None else templates
    for template in pool:
        if template.name == name:
            return template
    raise QueryError(f"unknown query '{name}' (known: {', '.join(t.name for t in pool)})")
