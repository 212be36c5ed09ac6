"""The CloudWatch Logs destination as synthesized: log group, key, delivery role, flow logs, saved queries."""

from __future__ import annotations

from typing import Any

import pytest

from flowkit import catalogue
from flowkit.queries.insights import load_insights
from tests.synths import DEPLOYING

pytestmark = pytest.mark.slow

ACCOUNT, REGION, PARTITION = ({"Ref": f"AWS::{p}"} for p in ("AccountId", "Region", "Partition"))
# the log group's ARN (CloudWatch Logs user guide: what KMS sees as the encryption context aws:logs:arn)
GROUP_ARN = {"Fn::Join": ["", ["arn:", PARTITION, ":logs:", REGION, ":", ACCOUNT, ":log-group:/flowlogs/cw"]]}
OTHER = ("444455556666", "us-east-1")


def resources(template: dict[str, Any], rtype: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == rtype}


def one(template: dict[str, Any], rtype: str) -> tuple[str, dict[str, Any]]:
    (found,) = resources(template, rtype).items()
    return found


@pytest.fixture(scope="module")
def cw(synth_config: Any) -> Any:
    return synth_config("cloudwatch")


@pytest.fixture(scope="module")
def both(synth_config: Any) -> Any:
    return synth_config("both")


def test_cloudwatch_alone_deploys_no_bucket_table_or_workgroup(cw: Any) -> None:
    assert sorted(cw.stacks) == ["flowlogs-cw-capture", "flowlogs-cw-cloudwatch"]
    artifacts = cw.manifest["artifacts"]
    assert "flowlogs-cw-cloudwatch" in artifacts["flowlogs-cw-capture"]["dependencies"]
    assert "flowlogs-cw-capture" not in artifacts["flowlogs-cw-cloudwatch"].get("dependencies", [])


def test_log_group_retention_key_and_removal(cw: Any) -> None:
    template = cw.stacks["flowlogs-cw-cloudwatch"]
    group_id, group = one(template, "AWS::Logs::LogGroup")
    key_id, key = one(template, "AWS::KMS::Key")
    assert group["Properties"]["LogGroupName"] == "/flowlogs/cw"
    assert group["Properties"]["RetentionInDays"] == 90
    assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert (group["DeletionPolicy"], group["UpdateReplacePolicy"]) == ("Retain", "Retain")  # removal=retain
    assert key["DeletionPolicy"] == "Retain" and key["Properties"]["EnableKeyRotation"] is True
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    (logs,) = [s for s in statements if s.get("Sid") == "AllowCloudWatchLogsForTheFlowLogGroup"]
    assert logs["Principal"] == {"Service": {"Fn::Join": ["", ["logs.", REGION, ".amazonaws.com"]]}}
    assert logs["Condition"] == {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": GROUP_ARN}}
    # only the account root (the key's administrators) and CloudWatch Logs for this log group
    assert [s.get("Sid") for s in statements if s is not logs] == [None]
    assert group_id == "LogGroup"


def test_without_kms_and_with_destroy_the_log_group_goes_with_the_stack(both: Any) -> None:
    template = both.stacks["flowlogs-twice-cloudwatch"]
    _, group = one(template, "AWS::Logs::LogGroup")
    assert resources(template, "AWS::KMS::Key") == {}
    assert "KmsKeyId" not in group["Properties"]
    assert group["DeletionPolicy"] == "Delete" and group["Properties"]["RetentionInDays"] == 30


def test_delivery_role_trust_and_least_privilege(cw: Any) -> None:
    template = cw.stacks["flowlogs-cw-cloudwatch"]
    _, role = one(template, "AWS::IAM::Role")
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert trust["Action"] == "sts:AssumeRole"
    assert trust["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": {"Fn::Join": ["", ["arn:", PARTITION, ":ec2:", REGION, ":", ACCOUNT,
                                                        ":vpc-flow-log/*"]]}},
    }
    (policy,) = role["Properties"]["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert sorted(statement["Action"]) == ["logs:CreateLogStream", "logs:DescribeLogStreams",
                                           "logs:PutLogEvents"]
    assert statement["Resource"] == {"Fn::GetAtt": ["LogGroup", "Arn"]}  # the group and its streams only
    assert "ManagedPolicyArns" not in role["Properties"]
    assert not resources(template, "AWS::IAM::Policy")


def test_flow_logs_deliver_to_the_log_group_in_the_format(cw: Any) -> None:
    capture = cw.stacks["flowlogs-cw-capture"]
    flow_logs = resources(capture, "AWS::EC2::FlowLog")
    assert sorted(p["Properties"]["ResourceId"] for p in flow_logs.values()) == [
        "eni-0fedcba9876543210", "vpc-0a1b2c3d4e5f67890"]
    expected_format = " ".join("${" + name + "}" for name in cw.settings.log_fields)
    for flow_log in flow_logs.values():
        props = flow_log["Properties"]
        assert props["LogDestinationType"] == "cloud-watch-logs"
        assert props["LogGroupName"] == "/flowlogs/cw"
        assert props["LogFormat"] == expected_format
        assert "DestinationOptions" not in props and "LogDestination" not in props
        arn = props["DeliverLogsPermissionArn"]["Fn::GetStackOutput"]
        assert arn["StackName"] == "flowlogs-cw-cloudwatch"
        output = cw.stacks["flowlogs-cw-cloudwatch"]["Outputs"][arn["OutputName"]]["Value"]
        role_id, _ = one(cw.stacks["flowlogs-cw-cloudwatch"], "AWS::IAM::Role")
        assert output == {"Fn::GetAtt": [role_id, "Arn"]}


def test_both_gives_every_target_one_flow_log_to_each_destination(both: Any) -> None:
    captures = {name: t for name, t in both.stacks.items() if "-capture" in name}
    assert len(captures) == 2
    seen: dict[str, list[str]] = {}
    for template in captures.values():
        for flow_log in resources(template, "AWS::EC2::FlowLog").values():
            props = flow_log["Properties"]
            seen.setdefault(props["ResourceId"], []).append(props["LogDestinationType"])
            if props["LogDestinationType"] == "s3":
                assert set(props["DestinationOptions"]) == {"FileFormat", "HiveCompatiblePartitions",
                                                            "PerHourPartition"}
            else:
                assert "DestinationOptions" not in props
    assert {k: sorted(v) for k, v in seen.items()} == {"subnet-0c4d5e6f7a8b9c0d1": ["cloud-watch-logs", "s3"],
                                                       "eni-0123456789abcdef0": ["cloud-watch-logs", "s3"]}


def test_a_log_group_in_every_account_and_region_with_its_own_queries(both: Any) -> None:
    artifacts = both.manifest["artifacts"]
    here, there = "flowlogs-twice-cloudwatch", f"flowlogs-twice-cloudwatch-{OTHER[0]}-{OTHER[1]}"
    assert artifacts[here]["environment"] == f"aws://{DEPLOYING[0]}/{DEPLOYING[1]}"
    assert artifacts[there]["environment"] == f"aws://{OTHER[0]}/{OTHER[1]}"
    remote = next(n for n in both.stacks if n.startswith("flowlogs-twice-capture-444455556666"))
    assert there in artifacts[remote]["dependencies"] and here not in artifacts[remote]["dependencies"]
    assert here in artifacts["flowlogs-twice-capture"]["dependencies"]
    for name in (here, there):
        queries = resources(both.stacks[name], "AWS::Logs::QueryDefinition")
        assert {q["Properties"]["LogGroupNames"][0] for q in queries.values()} == {"/flowlogs/twice"}
        assert len(queries) == len(load_insights())


def test_saved_queries_in_the_investigations_folder(cw: Any) -> None:
    template = cw.stacks["flowlogs-cw-cloudwatch"]
    queries = resources(template, "AWS::Logs::QueryDefinition")
    templates = {t.name: t for t in load_insights()}
    assert {q["Properties"]["Name"] for q in queries.values()} == {f"flowlogs-cw/{n}" for n in templates}
    fields = catalogue.resolve(cw.settings.log_fields)
    parse = 'parse @message "' + " ".join("*" for _ in fields) + '" as '
    for query in queries.values():
        props = query["Properties"]
        template_ = templates[props["Name"].split("/", 1)[1]]
        assert props["LogGroupNames"] == ["/flowlogs/cw"] and props["QueryLanguage"] == "CWLI"
        assert query["DependsOn"] == ["LogGroup"]
        assert props["QueryString"].startswith(parse)
        assert "{%" not in props["QueryString"] and "{{ " not in props["QueryString"]
        assert [p["Name"] for p in props.get("Parameters", [])] == [p.name for p in template_.params]
        assert all(p["Description"] for p in props.get("Parameters", []))


def test_outputs_name_the_log_group_and_its_fields(cw: Any) -> None:
    outputs = cw.stacks["flowlogs-cw-cloudwatch"]["Outputs"]
    assert outputs["LogGroupName"]["Value"] == "/flowlogs/cw"
    assert outputs["LogGroupArn"]["Value"] == GROUP_ARN
    assert outputs["LogFields"]["Value"] == ",".join(cw.settings.log_fields)


def test_capture_outputs_keep_the_s3_flow_logs_apart(cw: Any, both: Any) -> None:
    """FlowLogIds stays the flow logs to the bucket (what `flowlogs doctor` checks against it)."""
    outputs = cw.stacks["flowlogs-cw-capture"]["Outputs"]
    assert set(outputs) == {"CloudWatchFlowLogIds"}
    capture = both.stacks["flowlogs-twice-capture"]
    values = {key: capture["Outputs"][key]["Value"] for key in ("FlowLogIds", "CloudWatchFlowLogIds")}
    refs = {key: value["Fn::Join"][1] if "Fn::Join" in value else [value] for key, value in values.items()}
    kinds = {key: {capture["Resources"][ref["Ref"]]["Properties"]["LogDestinationType"] for ref in found}
             for key, found in refs.items()}
    assert kinds == {"FlowLogIds": {"s3"}, "CloudWatchFlowLogIds": {"cloud-watch-logs"}}


def test_s3_alone_deploys_nothing_of_cloudwatch_logs(default_synth: Any) -> None:
    assert not [name for name in default_synth.stacks if "cloudwatch" in name]
    types = {r["Type"] for t in default_synth.stacks.values() for r in t["Resources"].values()}
    assert not {"AWS::Logs::LogGroup", "AWS::Logs::QueryDefinition"} & types
    flow_logs = resources(default_synth.templates["capture"], "AWS::EC2::FlowLog").values()
    assert {f["Properties"]["LogDestinationType"] for f in flow_logs} == {"s3"}


def test_both_counts_two_flow_logs_per_target_against_the_stack_limit() -> None:
    from flowkit.settings import load
    from stacks.constructs.limits import LimitError
    from stacks.placement import capture_groups

    enis = [f"eni-{n:017x}" for n in range(300)]
    (group,) = capture_groups(load({"investigation": "big", "eni_ids": enis}), None)
    assert len(group.targets) == 300
    with pytest.raises(LimitError, match=r"^stack flowlogs-big-capture: 600 flow logs, more than the 500 "):
        capture_groups(load({"investigation": "big", "eni_ids": enis, "destination": "both"}), None)
