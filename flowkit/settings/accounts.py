"""Where the investigation captures: its accounts and regions, the organisation, targets per account/region.

Unset ``accounts`` and ``regions`` mean the deploying account and region only. ``targets`` keys are
``"<account>/<region>"``; the flat ``vpc_ids``/``subnet_ids``/``eni_ids`` keep meaning the deploying
account and region.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, NamedTuple

from pydantic import BeforeValidator, field_validator

from flowkit.settings.capture import TargetIds
from flowkit.settings.rules import Part, TextList, ids, matching

ACCOUNT_ID = re.compile(r"^\d{12}$")
REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$")
ORGANIZATION_ID = re.compile(r"^o-[a-z0-9]{10,32}$")
TARGET_KEY = re.compile(r"^(\d{12})/([a-z]{2}(?:-[a-z]+)+-\d{1,2})$")
KEY_FORM = "'<account>/<region>' (12 digits, '/', a region such as eu-west-1)"


class AccountRegion(NamedTuple):
    """One account and region (an AWS environment)."""

    account: str
    region: str

    def __str__(self) -> str:
        return f"{self.account}/{self.region}"


def parse_target_key(key: str) -> AccountRegion | None:
    """``"111122223333/eu-west-1"`` -> AccountRegion; None if the key is malformed."""
    match = TARGET_KEY.match(key)
    return AccountRegion(match[1], match[2]) if match else None


def as_object(value: Any) -> Any:
    """A JSON object, or its text from ``-c targets='{...}'`` (an empty text is no targets)."""
    if value is None:
        return {}
    if isinstance(value, str):
        if not value.strip():
            return {}
        try:
            value = json.loads(value)
        except json.JSONDecodeError as err:
            raise ValueError(f"is not valid JSON ({err.msg} at character {err.pos})") from None
    if not isinstance(value, dict):
        raise ValueError('must be a JSON object: {"<account>/<region>": {"vpc_ids": [...], ...}}')
    return value


def none_if_empty(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class AccountSettings(Part):
    accounts: Annotated[TextList, ids(ACCOUNT_ID, "a 12-digit AWS account id")] = []
    regions: Annotated[TextList, ids(REGION, "an AWS region name such as eu-west-1")] = []
    organization_id: Annotated[str | None, BeforeValidator(none_if_empty), matching(
        ORGANIZATION_ID, "must be an AWS Organizations id: o- and 10 to 32 letters or digits")] = None
    targets: Annotated[dict[str, TargetIds], BeforeValidator(as_object)] = {}

    @field_validator("targets")
    @classmethod
    def _keys(cls, value: dict[str, TargetIds]) -> dict[str, TargetIds]:
        bad = [key for key in value if parse_target_key(key) is None]
        if bad:
            raise ValueError(", ".join(repr(key) for key in bad) + f" is not {KEY_FORM}")
        return value

    @property
    def target_environments(self) -> dict[AccountRegion, TargetIds]:
        """``targets`` by account and region (keys already checked)."""
        return {AccountRegion(*key.split("/")): ids for key, ids in self.targets.items()}

    def outside(self, where: AccountRegion, deploying: AccountRegion | None = None) -> str | None:
        """Why ``where`` is not among the configured accounts and regions; None if it is.

        Unset ``accounts``/``regions`` mean the ``deploying`` account/region (unknown: none matches).
        """
        checks = (("account", where.account, self.accounts, deploying.account if deploying else None),
                  ("region", where.region, self.regions, deploying.region if deploying else None))
        for kind, value, listed, default in checks:
            if value not in (listed or ([default] if default else [])):
                known = ", ".join(listed) if listed else "not set: the deploying one only"
                return f"{kind} {value} is not in '{kind}s' ({known}); add it there"
        return None
