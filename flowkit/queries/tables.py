"""Which table a saved query reads: the VPC flow logs' or the transit gateway flow logs'.

The folder says it: ``sql/*.sql`` read the VPC table, ``sql/transit-gateway/*.sql`` the transit
gateway table. Each table has its own field catalogue, which a template's ``fields:`` are checked
against and which the query is rendered for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from flowkit import catalogue

TableKind = Literal["vpc", "transit-gateway"]
VPC: TableKind = "vpc"
TRANSIT: TableKind = "transit-gateway"
CATALOGUES: dict[TableKind, catalogue.Catalogue] = {VPC: catalogue.VPC, TRANSIT: catalogue.TRANSIT}
# The templates of the transit gateway table: this folder inside the VPC templates' folder.
TRANSIT_FOLDER = "transit-gateway"


def template_folder(sql_dir: Path, kind: TableKind) -> Path:
    """The folder holding the templates of one table, inside a template folder."""
    return sql_dir / TRANSIT_FOLDER if kind == TRANSIT else sql_dir
