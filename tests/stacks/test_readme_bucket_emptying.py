"""README tells the truth about the one function the storage stack deploys: CDK's bucket-emptying Lambda
with ``removal=destroy`` (and a role the bucket policy lets delete every object), none with ``retain``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.synths import Synth

REPO = Path(__file__).resolve().parents[2]


def readme() -> str:
    return " ".join((REPO / "README.md").read_text(encoding="utf-8").split())


def statements_for(synth: Synth, role_id: str) -> list[dict[str, Any]]:
    policy = synth.one("storage", "AWS::S3::BucketPolicy")["Properties"]["PolicyDocument"]
    found = []
    for statement in policy["Statement"]:
        principal = statement.get("Principal")
        aws = principal.get("AWS") if isinstance(principal, dict) else None
        if isinstance(aws, dict) and aws.get("Fn::GetAtt", [None])[0] == role_id:
            found.append(statement)
    return found


@pytest.mark.parametrize(("config", "removal"), [("default", "destroy"), ("text_kms", "retain")])
def test_the_bucket_emptying_function_is_deployed_as_the_readme_says(synth_config: Callable[[str], Synth],
                                                                     config: str, removal: str) -> None:
    synth = synth_config(config)
    assert synth.settings.removal == removal
    functions = synth.resources("storage", "AWS::Lambda::Function")
    custom = synth.resources("storage", "Custom::S3AutoDeleteObjects")
    if removal == "retain":
        assert functions == {} and custom == {}
        return
    [function] = functions.values()
    assert len(custom) == 1
    role_id = function["Properties"]["Role"]["Fn::GetAtt"][0]
    [grant] = statements_for(synth, role_id)
    assert grant["Effect"] == "Allow"
    actions = set(grant["Action"])
    assert actions == {"s3:DeleteObject*", "s3:List*", "s3:GetBucket*", "s3:PutBucketPolicy"}
    text = readme()
    assert "Custom::S3AutoDeleteObjects" in text
    assert all(f"`{action}`" in text for action in actions)
    assert "With `removal=retain` neither is deployed." in text
    assert "no Lambda" not in text and "crawlers or Lambdas" not in text
