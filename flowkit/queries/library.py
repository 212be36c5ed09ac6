"""The shipped saved-query templates: where they live and how to look one up.

The templates live in the repository's top-level ``sql/`` folder (those of the transit gateway table
in ``sql/transit-gateway/``, the Logs Insights ones in ``insights/``); a built wheel carries the same
files as package data in ``flowkit/queries/sql/`` and ``flowkit/queries/insights/`` (pyproject maps
those packages to the folders), so the installed ``flowlogs`` command finds them from any folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flowkit.queries.params import QueryError
from flowkit.queries.tables import CATALOGUES, VPC, TableKind, template_folder
from flowkit.queries.template import QueryTemplate, parse_template

_HERE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """A template folder: the installed package's copy when there is one, else the source tree's."""
    packaged = _HERE / name
    return packaged if packaged.is_dir() else _HERE.parents[1] / name


SQL_DIR = data_dir("sql")


def load_catalogue(sql_dir: Path | str = SQL_DIR, suffix: str = ".sql", table: TableKind = VPC
                   ) -> list[QueryTemplate]:
    """Every ``*<suffix>`` template of a folder, read as templates of ``table``, sorted by name
    (malformed files raise QueryError)."""
    folder = Path(sql_dir)
    if not folder.is_dir():
        raise QueryError(f"{folder}: query folder not found")
    templates = [parse_template(path, table=table) for path in sorted(folder.glob("*" + suffix))]
    return sorted(templates, key=lambda t: t.name)


def load_all(sql_dir: Path | str = SQL_DIR) -> list[QueryTemplate]:
    """The templates of every table: the folder's own (VPC table), then its ``transit-gateway/`` ones."""
    found: list[QueryTemplate] = []
    for kind in CATALOGUES:
        folder = template_folder(Path(sql_dir), kind)
        if kind == VPC or folder.is_dir():
            found += load_catalogue(folder, table=kind)
    return found


def find(name: str, templates: Sequence[QueryTemplate] | None = None) -> QueryTemplate:
    """The template called ``name``; QueryError listing the known names otherwise."""
    pool = load_all() if templates is None else templates
    for template in pool:
        if template.name == name:
            return template
    raise QueryError(f"unknown query '{name}' (known: {', '.join(t.name for t in pool)})")
