"""What to capture: the flow log targets, which traffic, how often, which record fields and tag keys."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, field_validator, model_validator

from flowkit import catalogue
from flowkit.settings.rules import Part, TextList, as_list, as_number, ids, upper

VPC_ID = re.compile(r"^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
ENI_ID = re.compile(r"^eni-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
TGW_ID = re.compile(r"^tgw-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
TGW_ATTACHMENT_ID = re.compile(r"^tgw-attach-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
TAG_KEY_LENGTH = 128  # AWS: 1 to 128 characters, at most two keys per resource type
TAG_FIELDS_EXAMPLE = '{"instance": ["Name", "Owner"], "network-interface": ["Name"]}'


class TargetIds(Part):
    """What to capture (the flat keys, or one entry of ``targets``): VPCs, subnets and network interfaces,
    and transit gateways and their attachments."""

    vpc_ids: Annotated[TextList, ids(VPC_ID, "a VPC id (vpc- and 8 or 17 hex digits)")] = []
    subnet_ids: Annotated[TextList, ids(SUBNET_ID, "a subnet id (subnet- and 8 or 17 hex digits)")] = []
    eni_ids: Annotated[TextList, ids(ENI_ID, "a network interface id (eni- and 8 or 17 hex digits)")] = []
    tgw_ids: Annotated[TextList, ids(TGW_ID, "a transit gateway id (tgw- and 8 or 17 hex digits)")] = []
    tgw_attachment_ids: Annotated[TextList, ids(
        TGW_ATTACHMENT_ID, "a transit gateway attachment id (tgw-attach- and 8 or 17 hex digits)")] = []

    @property
    def target_ids(self) -> list[str]:
        """Every id: VPCs, subnets, network interfaces, transit gateways, then their attachments."""
        return [*self.vpc_ids, *self.subnet_ids, *self.eni_ids, *self.transit_ids]

    @property
    def transit_ids(self) -> list[str]:
        """The transit gateways and attachments (their flow logs have their own format and table)."""
        return [*self.tgw_ids, *self.tgw_attachment_ids]


def as_tag_fields(value: Any) -> Any:
    """``{"instance": ["Name"], ...}`` as JSON or its text (``-c tag_fields='{...}'``); empty: none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as err:
            raise ValueError(f"is not valid JSON ({err.msg} at character {err.pos})") from None
    if not isinstance(value, dict):
        raise ValueError(f"must be a JSON object of resource type to tag keys, e.g. {TAG_FIELDS_EXAMPLE}")
    return value


def _check_tag_fields(value: dict[str, list[str]]) -> dict[str, list[str]]:
    known = catalogue.TAG_RESOURCE_TYPES
    for resource, keys in value.items():
        if resource not in known:
            raise ValueError(f"'{resource}' is not a resource type of tag fields ({', '.join(known)})")
        if not 1 <= len(keys) <= 2 or len(set(keys)) != len(keys):
            raise ValueError(f"'{resource}' needs one or two different tag keys, got {len(keys)}")
        bad = [key for key in keys if not 1 <= len(key) <= TAG_KEY_LENGTH]
        if bad:
            raise ValueError(f"'{resource}': a tag key must have 1 to {TAG_KEY_LENGTH} characters")
    return value


class CaptureSettings(TargetIds):
    traffic_type: Annotated[Literal["ALL", "ACCEPT", "REJECT"], BeforeValidator(upper)] = "ALL"
    aggregation_seconds: Annotated[Literal[60, 600], BeforeValidator(as_number)] = 60
    log_fields: str | list[str] = catalogue.DEFAULT_PRESET
    tag_fields: Annotated[dict[str, list[str]], BeforeValidator(as_tag_fields)] = {}

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

    @field_validator("tag_fields")
    @classmethod
    def _tag_keys(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return _check_tag_fields(value)

    @model_validator(mode="after")
    def _tags_match_the_format(self) -> CaptureSettings:
        """AWS refuses tag fields without tag keys; keys of a resource type with no field log nothing."""
        in_format = [f.name for f in self.fields if f.name in catalogue.TAG_FIELDS]
        if in_format and not self.tag_fields:
            raise ValueError(f"setting 'log_fields': has tag field(s) {', '.join(in_format)} but "
                             "'tag_fields' names no tag keys, and AWS refuses such a flow log; set "
                             f"tag_fields, e.g. {TAG_FIELDS_EXAMPLE}, or leave the tag fields out")
        for resource in self.tag_fields:
            if not any(catalogue.TAG_FIELDS[name][0] == resource for name in in_format):
                names = [n for n, (kind, _) in catalogue.TAG_FIELDS.items() if kind == resource]
                raise ValueError(f"setting 'tag_fields': keys for '{resource}', but log_fields has none of "
                                 f"{', '.join(names)}, so no tag value would be logged; add them there")
        return self

    @property
    def fields(self) -> tuple[catalogue.Field, ...]:
        return catalogue.resolve(self.log_fields)

