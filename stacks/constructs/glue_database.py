"""The investigation's Glue database (a fixed name: it must update in place, never be replaced)."""

from __future__ import annotations

from aws_cdk import Aws
from aws_cdk import aws_glue as glue
from constructs import Construct


class FlowLogDatabase(Construct):
    """The L1 database is the child ``Default``."""

    def __init__(self, scope: Construct, construct_id: str, *, name: str, investigation: str) -> None:
        super().__init__(scope, construct_id)
        self.name = name
        self.resource = glue.CfnDatabase(
            self,
            "Default",
            catalog_id=Aws.ACCOUNT_ID,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                name=name, description=f"VPC flow logs of investigation {investigation}"
            ),
        )
