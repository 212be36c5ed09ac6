"""A deployed investigation in moto, built from the kit's own synthesized templates.

Every resource the three stacks hold that the doctor reads is created through the AWS APIs with the
template's properties (intrinsics resolved for moto's account and region): the bucket, real EC2 flow
logs on real VPCs, subnets and network interfaces, the Glue database and table, the workgroup, the
saved queries, and stacks carrying the templates' outputs. Flow log files are sample logs
(``flowkit.sample.write_sample``) uploaded under keys written here by hand from AWS's documented key
layout, at times relative to a fixed "now".

What moto does differently from AWS is put right with botocore event hooks (tests/moto_hooks.py):
moto rejects a flow log destination with a key prefix and leaves out ``DestinationOptions``, so the
flow logs are created on the bare bucket and DescribeFlowLogs is answered with the destination and
options of the template.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
from moto.athena.models import QueryResults, athena_backends
from moto.core import DEFAULT_ACCOUNT_ID

from tests.documented import AWS_DEFAULT_FORMAT
from tests.moto_hooks import Hooks
from tests.moto_stacks import create_stack
from tests.synths import Synth

ACCOUNT, REGION = DEFAULT_ACCOUNT_ID, "us-east-1"
# "now" for every scenario: a whole 5 minutes, so file windows and ages are exact
NOW = datetime.now(UTC).replace(second=0, microsecond=0)
NOW = NOW.replace(minute=NOW.minute - NOW.minute % 5)

# Fields of the sample files, spelled out from AWS's record page: versions 2 to 5, then 7 to 11.
V5 = [*AWS_DEFAULT_FORMAT, "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr",
      "pkt-dstaddr", "region", "az-id", "sublocation-type", "sublocation-id", "pkt-src-aws-service",
      "pkt-dst-aws-service", "flow-direction", "traffic-path"]
ALL = [*V5, "ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn", "ecs-container-instance-id",
       "ecs-container-id", "ecs-second-container-id", "ecs-service-name", "ecs-task-definition-arn",
       "ecs-task-arn", "ecs-task-id", "reject-reason", "resource-id", "encryption-status", "instance-tag",
       "instance-tag-2", "interface-tag", "interface-tag-2", "asg-tag", "asg-tag-2", "interface-type",
       "next-hop-interface-id", "next-hop-subnet-id", "next-hop-az-id", "next-hop-vpc-id",
       "next-hop-interface-type"]
AWS_DEFAULT = list(AWS_DEFAULT_FORMAT)
SWAPPED = [*ALL[:3], "dstaddr", "srcaddr", *ALL[5:]]  # a format listing dstaddr before srcaddr


# -- template intrinsics ---------------------------------------------------------------------------
@dataclass
class Intrinsics:
    """Values CloudFormation would give the templates' Ref, Fn::GetAtt, Fn::GetStackOutput, Fn::Join."""

    refs: dict[str, str]
    arns: dict[str, str]
    outputs: dict[str, Any]  # the storage template's Outputs (what Fn::GetStackOutput reads)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "Ref" in value:
            pseudo = {"AWS::AccountId": ACCOUNT, "AWS::Region": REGION, "AWS::Partition": "aws"}
            return pseudo.get(value["Ref"]) or self.refs[value["Ref"]]
        if "Fn::GetAtt" in value:
            return self.arns[value["Fn::GetAtt"][0]]
        if "Fn::GetStackOutput" in value:
            return self(self.outputs[value["Fn::GetStackOutput"]["OutputName"]]["Value"])
        if "Fn::Join" in value:
            separator, parts = value["Fn::Join"]
            return separator.join(str(self(p)) for p in parts)
        return {k: self(v) for k, v in value.items()}


@dataclass
class Investigation:
    """What was deployed into moto, as the tests need to know it."""

    synth: Synth
    bucket: str
    flow_log_ids: list[str]
    resource_ids: list[str]  # the VPC, subnet or interface of each flow log
    destinations: dict[str, dict[str, Any]]  # flow log id -> LogDestination and DestinationOptions (AWS's)
    saved: dict[str, str]  # saved query name -> SQL
    files: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.synth.settings.investigation)

    def stack(self, part: str) -> str:
        return self.synth.stack_name(part)

    def describe_like_aws(self, parsed: dict[str, Any], **_: Any) -> None:
        """after-call.ec2.DescribeFlowLogs: the destination and options AWS reports for each flow log."""
        for flow_log in parsed.get("FlowLogs", []):
            flow_log.update(self.destinations.get(flow_log["FlowLogId"], {}))

    def upload(self, key: str, body: bytes) -> None:
        boto3.client("s3", region_name=REGION).put_object(Bucket=self.bucket, Key=key, Body=body)
        self.files.append(key)


def deploy(synth: Synth, hooks: Hooks, *, workgroup: bool = True, drop_query: str | None = None,
           extra_query: str | None = None, stacks: tuple[str, ...] = ("storage", "capture", "analytics"),
           ) -> Investigation:
    """Create what the synthesized stacks hold, in moto; optionally without the workgroup (and its
    saved queries), without one saved query, with one more, or with only some of the stacks."""
    templates = synth.templates
    bucket = f"{synth.settings.investigation}-logs-bucket"
    [bucket_id] = synth.resources("storage", "AWS::S3::Bucket")
    arns = {bucket_id: f"arn:aws:s3:::{bucket}"}
    arns.update({key_id: f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0a1b2c3d-0000-4000-8000-{n:012d}"
                 for n, key_id in enumerate(synth.resources("storage", "AWS::KMS::Key"))})
    resolve = Intrinsics({bucket_id: bucket}, arns, templates["storage"]["Outputs"])
    boto3.client("s3", region_name=REGION).create_bucket(Bucket=bucket)

    ids, resources, destinations = _flow_logs(synth, resolve, bucket)
    resolve.refs.update(zip(synth.resources("capture", "AWS::EC2::FlowLog"), ids, strict=True))

    glue = boto3.client("glue", region_name=REGION)
    glue.create_database(DatabaseInput=resolve(synth.one("analytics", "AWS::Glue::Database")["Properties"]
                                               ["DatabaseInput"]))
    table = resolve(synth.one("analytics", "AWS::Glue::Table")["Properties"])
    glue.create_table(DatabaseName=table["DatabaseName"], TableInput=table["TableInput"])

    saved: dict[str, str] = {}
    if workgroup:
        group = resolve(synth.one("analytics", "AWS::Athena::WorkGroup")["Properties"])
        athena = boto3.client("athena", region_name=REGION)
        athena.create_work_group(Name=group["Name"], Configuration=group["WorkGroupConfiguration"],
                                 Description=group["Description"])
        named = synth.resources("analytics", "AWS::Athena::NamedQuery").values()
        queries = [resolve(q["Properties"]) for q in named]
        if extra_query:
            queries.append({**queries[0], "Name": extra_query})
        for query in queries:
            if query["Name"] != drop_query:
                athena.create_named_query(**{k: query[k] for k in ("Name", "Description", "Database",
                                                                      "QueryString", "WorkGroup")})
                saved[query["Name"]] = query["QueryString"]

    for part in stacks:
        values = {key: str(resolve(out["Value"])) for key, out in templates[part].get("Outputs", {}).items()}
        create_stack(synth.stack_name(part), values, REGION)
    found = Investigation(synth, bucket, ids, resources, destinations, saved)
    hooks.handlers.append(("after-call.ec2.DescribeFlowLogs", found.describe_like_aws))
    return found


def _flow_logs(synth: Synth, resolve: Intrinsics,
               bucket: str) -> tuple[list[str], list[str], dict[str, dict[str, Any]]]:
    """One real EC2 resource and flow log per AWS::EC2::FlowLog of the capture template."""
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    ids, resources, destinations = [], [], {}
    for resource in synth.resources("capture", "AWS::EC2::FlowLog").values():
        props = resolve(resource["Properties"])
        kind = props["ResourceType"]
        if kind == "VPC":
            target = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        elif kind == "Subnet":
            cidr = f"10.0.{10 + len(ids)}.0/24"
            target = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr)["Subnet"]["SubnetId"]
        else:
            target = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
        created = ec2.create_flow_logs(
            ResourceIds=[target], ResourceType=kind, TrafficType=props["TrafficType"],
            LogDestinationType="s3",
            LogDestination=f"arn:aws:s3:::{bucket}",  # moto cannot take the key prefix
            LogFormat=props["LogFormat"], MaxAggregationInterval=props["MaxAggregationInterval"])
        [flow_log_id] = created["FlowLogIds"]
        ids.append(flow_log_id)
        resources.append(target)
        destinations[flow_log_id] = {"LogDestination": props["LogDestination"],
                                     "DestinationOptions": props["DestinationOptions"]}
    return ids, resources, destinations


# -- flow log files --------------------------------------------------------------------------------
def aws_key(*, text: bool, hive: bool, hourly: bool, prefix: str, flow_log_id: str, when: datetime,
            digest: str = "0a1b2c3d") -> str:
    """The key AWS gives a file of records ending in the 5 minutes from ``when`` (VPC user guide)."""
    if hive:
        folders = (f"AWSLogs/aws-account-id={ACCOUNT}/aws-service=vpcflowlogs/aws-region={REGION}/"
                   f"year={when:%Y}/month={when:%m}/day={when:%d}/" + (f"hour={when:%H}/" if hourly else ""))
    else:
        folders = (f"AWSLogs/{ACCOUNT}/vpcflowlogs/{REGION}/{when:%Y/%m/%d}/"
                   + (f"{when:%H}/" if hourly else ""))
    name = (f"{ACCOUNT}_vpcflowlogs_{REGION}_{flow_log_id}_{when:%Y%m%dT%H%M}Z_{digest}"
            + (".log.gz" if text else ".log.parquet"))
    return (f"{prefix}/" if prefix else "") + folders + name


def sample_file(root: Path, suffix: str) -> bytes:
    """The bytes of one file of a written sample (the largest, so it has records)."""
    files = sorted(root.rglob(f"*{suffix}"), key=lambda p: (p.stat().st_size, str(p)))
    return files[-1].read_bytes()


def queue_count(records: int) -> None:
    """What moto's Athena answers to the next query: one ``records`` column (with Athena's header row)."""
    column = {"Name": "records", "Label": "records", "Type": "bigint", "CatalogName": "hive",
              "SchemaName": "", "TableName": "", "Nullable": "UNKNOWN", "CaseSensitive": False,
              "Precision": 19, "Scale": 0}
    rows = [{"Data": [{"VarCharValue": "records"}]}, {"Data": [{"VarCharValue": str(records)}]}]
    athena_backends[ACCOUNT][REGION].query_results_queue.append(QueryResults(rows=rows, column_info=[column]))


def minutes_ago(minutes: int) -> datetime:
    return NOW - timedelta(minutes=minutes)


def write_cdk_json(config: str) -> None:
    """The investigation's cdk.json in the current folder, as in the kit's checkout it was deployed from."""
    from tests.synths import CONFIGS, example_context

    Path("cdk.json").write_text(json.dumps({"context": {**example_context(), **CONFIGS[config]}}))
