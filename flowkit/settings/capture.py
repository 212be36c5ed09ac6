"""What to capture: the flow log targets, which traffic, how often, and which record fields."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, field_validator

from flowkit import catalogue
from flowkit.settings.rules import Part, TextList, as_list, as_number, ids, upper

VPC_ID = re.compile(r"^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
ENI_ID = re.compile(r"^eni-[0-9a-f]{8}(?:[0-9a-f]{9})?$")


class TargetIds(Part):
    """The VPCs, subnets and network interfaces to capture (the flat keys, or one entry of ``targets``)."""

    vpc_ids: Annotated[TextList, ids(VPC_ID, "a VPC id (vpc- and 8 or 17 hex digits)")] = []
    subnet_ids: Annotated[TextList, ids(SUBNET_ID, "a subnet id (subnet- and 8 or 17 hex digits)")] = []
    eni_ids: Annotated[TextList, ids(ENI_ID, "a network interface id (eni- and 8 or 17 hex digits)")] = []

    @property
    def target_ids(self) -> list[str]:
        """Every id, VPCs first, then subnets, then network interfaces."""
        return [*self.vpc_ids, *self.subnet_ids, *self.eni_ids]


class CaptureSettings(TargetIds):
    traffic_type: Annotated[Literal["ALL", "ACCEPT", "REJECT"], BeforeValidator(upper)] = "ALL"
    aggregation_seconds: Annotated[Literal[60, 600], BeforeValidator(as_number)] = 60
    log_fields: str | list[str] = catalogue.DEFAULT_PRESET

    @field_validator("log_fields", mode="before")
    @classmethod
    def _fields(cls, value: Any) -> Any:
        if not isinstance(value, str | list):
            raise ValueError("must be a preset name or a list of field names")
        if isinstance(value, str) and value.strip() not in catalogue.PRESETS:
            return as_list(value)
        return value.strip() if isinstance(value, str) else value

    @field_validator("log_fields")
    @classmethod
    def _field_list(cls, value: str | list[str]) -> str | list[str]:
        try:
            catalogue.resolve(value)
        except catalogue.FieldSpecError as err:
            raise ValueError(str(err)) from None
        return value

    @property
    def fields(self) -> tuple[catalogue.Field, ...]:
        return catalogue.resolve(self.log_fields)
