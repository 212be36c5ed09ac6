"""``flowlogs queries``: the saved queries, their fields and parameters."""

from __future__ import annotations

import json
from typing import Any

import click

from flowkit.cli.config import Options
from flowkit.cli.options import format_option
from flowkit.errors import FAILED


@click.command("queries", short_help="List the saved queries and their parameters.")
@format_option(("table", "json"), "table")
@click.pass_obj
def command(options: Options, fmt: str) -> None:
    """List the saved queries, the table each reads (VPC or transit gateway flow logs), their fields and
    parameters, and which ones the log format allows."""
    from flowkit import queries
    from flowkit.cli import rows

    try:
        templates = queries.load_all()
    except queries.QueryError as err:
        raise queries.QueryError(err.problems, FAILED) from None  # the kit's own templates are broken
    records: list[dict[str, Any]] = [
        {
            "name": t.name,
            "table": t.table,
            "description": t.description,
            "fields": list(t.fields),
            "params": [{"name": p.name, "kind": p.kind, "default": p.default, "description": p.description}
                       for p in t.params],
            "available": queries.is_available(t, queries.context_of(t, options.settings)),
        }
        for t in templates
    ]
    if fmt == "json":
        click.echo(json.dumps(records, indent=2))
        return
    table = [
        (r["name"], r["table"], r["description"], " ".join(r["fields"]),
         "\n".join(f"{p['name']} ({p['kind']}{', default ' + p['default'] if p['default'] else ''}): "
                   f"{p['description']}" for p in r["params"]),
         "yes" if r["available"] else "no")
        for r in records
    ]
    rows.write(["name", "table", "description", "fields", "parameters", "available"], table, "table")
