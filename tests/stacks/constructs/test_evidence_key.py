"""EvidenceKey: a rotating KMS key the flow log delivery service may use, kept with retained evidence."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import RemovalPolicy

from stacks.constructs import EvidenceKey
from tests.stacks.constructs.helpers import DELIVERY, DELIVERY_CONDITION, bare_stack, one, template_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def retained_key(feature_flags: dict[str, Any]) -> dict[str, Any]:
    stack = bare_stack(feature_flags)
    EvidenceKey(stack, "Key", investigation="case-42", removal_policy=RemovalPolicy.RETAIN)
    return one(template_of(stack), "AWS::KMS::Key")[1]


def test_key_rotates_and_the_delivery_service_may_use_it(retained_key: dict[str, Any]) -> None:
    assert retained_key["Properties"]["EnableKeyRotation"] is True
    statements = retained_key["Properties"]["KeyPolicy"]["Statement"]
    delivery = [s for s in statements if s.get("Principal") == DELIVERY]
    assert len(delivery) == 1
    assert {"kms:GenerateDataKey*", "kms:Encrypt", "kms:Decrypt"} <= set(delivery[0]["Action"])
    assert delivery[0]["Condition"] == DELIVERY_CONDITION


def test_retained_key_outlives_the_stack(retained_key: dict[str, Any]) -> None:
    # removal=retain keeps the key that decrypts the logs
    assert retained_key["DeletionPolicy"] == "Retain"
