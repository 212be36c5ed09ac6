"""Transit gateways and attachments, and the tag keys of the tag fields: defaults, -c text, one line per
mistake, and what transit gateway flow logs cannot do."""

from __future__ import annotations

import json

import pytest

from flowkit.settings import SETTING_KEYS, load
from tests.settings.helpers import BASE, problems

TGW, ATTACH = "tgw-0123456789abcdef0", "tgw-attach-0123456789abcdef0"
TAGS = {"instance": ["Name", "Owner"], "network-interface": ["Name"]}
TAG_FORMAT = ["start", "log-status", "srcaddr", "bytes", "instance-tag", "instance-tag-2", "interface-tag"]


def test_defaults_capture_no_transit_gateway_and_log_no_tag() -> None:
    s = load(BASE)
    assert (s.tgw_ids, s.tgw_attachment_ids, s.tag_fields) == ([], [], {})
    assert not s.has_transit_gateways


def test_keys_in_cdk_json_order() -> None:
    at = SETTING_KEYS.index("eni_ids")
    assert SETTING_KEYS[at + 1:at + 3] == ("tgw_ids", "tgw_attachment_ids")
    assert SETTING_KEYS[SETTING_KEYS.index("log_fields") + 1] == "tag_fields"


def test_command_line_text_is_coerced() -> None:
    """-c tgw_ids=a,b is comma-separated; -c tag_fields='{...}' is the cdk.json JSON."""
    s = load({**BASE, "tgw_ids": f"{TGW}, tgw-01234567", "tgw_attachment_ids": ATTACH,
              "log_fields": ",".join(TAG_FORMAT), "tag_fields": json.dumps(TAGS)})
    assert s.tgw_ids == [TGW, "tgw-01234567"] and s.tgw_attachment_ids == [ATTACH]
    assert s.tag_fields == TAGS and s.has_transit_gateways
    assert s.transit_ids == [TGW, "tgw-01234567", ATTACH]
    assert load({**BASE, "tag_fields": ""}).tag_fields == {}


def test_transit_gateways_alone_are_enough_and_targets_take_them() -> None:
    s = load({"investigation": "hub", "tgw_attachment_ids": [ATTACH]})
    assert s.target_ids == [ATTACH] and s.has_transit_gateways
    elsewhere = load({**BASE, "accounts": ["111122223333", "444455556666"], "regions": ["eu-west-1"],
                      "targets": {"444455556666/eu-west-1": {"tgw_ids": [TGW]}}})
    assert elsewhere.has_transit_gateways and elsewhere.transit_table_name == "flow_logs_tgw"


def test_the_transit_table_is_named_after_the_vpc_table() -> None:
    assert load({**BASE, "table": "rejects"}).transit_table_name == "rejects_tgw"


TGW_LOGS = "transit gateway flow logs (tgw_ids, tgw_attachment_ids)"
OWN = "or capture the transit gateways in an investigation of their own"
NOTHING_LOGGED = "so no tag value would be logged; add them there"
EXAMPLE = '{"instance": ["Name", "Owner"], "network-interface": ["Name"]}'
BAD: list[tuple[dict[str, object], str]] = [
    ({"tgw_ids": ["tgw-12345"]},
     "setting 'tgw_ids' = [\"tgw-12345\"]: 'tgw-12345' is not a transit gateway id (tgw- and 8 or 17 hex "
     "digits)"),
    ({"tgw_ids": [ATTACH]}, f"setting 'tgw_ids' = [\"{ATTACH}\"]: '{ATTACH}' is not a transit gateway id"),
    ({"tgw_attachment_ids": [TGW]},
     f"setting 'tgw_attachment_ids' = [\"{TGW}\"]: '{TGW}' is not a transit gateway attachment id "
     "(tgw-attach- and 8 or 17 hex digits)"),
    ({"tgw_ids": [TGW, TGW]}, f"setting 'tgw_ids' = [\"{TGW}\", \"{TGW}\"]: duplicate id(s) {TGW}"),
    ({"tgw_ids": [TGW], "traffic_type": "REJECT"},
     f"setting 'traffic_type' = \"REJECT\": {TGW_LOGS} record all traffic and AWS accepts no traffic type "
     f"for them; set ALL, {OWN}"),
    ({"tgw_attachment_ids": [ATTACH], "aggregation_seconds": 600},
     f"setting 'aggregation_seconds' = 600: {TGW_LOGS} aggregate over 60 seconds only; set 60, {OWN}"),
    ({"tgw_ids": [TGW], "destination": "cloudwatch"},
     f"setting 'destination' = \"cloudwatch\": {TGW_LOGS} go to the bucket (they have a table of their own); "
     "set 's3' or 'both'"),
    ({"tag_fields": "{oops"},
     "setting 'tag_fields' = \"{oops\": is not valid JSON (Expecting property name enclosed in double quotes "
     "at character 1)"),
    ({"tag_fields": ["Name"]},
     "setting 'tag_fields' = [\"Name\"]: must be a JSON object of resource type to tag keys, "
     f"e.g. {EXAMPLE}"),
    ({"tag_fields": {"vpc": ["Name"]}},
     "setting 'tag_fields' = {\"vpc\": [\"Name\"]}: 'vpc' is not a resource type of tag fields "
     "(network-interface, instance, auto-scaling-group)"),
    ({"tag_fields": {"instance": ["a", "b", "c"]}, "log_fields": TAG_FORMAT},
     "setting 'tag_fields' = {\"instance\": [\"a\", \"b\", \"c\"]}: 'instance' needs one or two different "
     "tag keys, got 3"),
    ({"tag_fields": {"instance": []}},
     "setting 'tag_fields' = {\"instance\": []}: 'instance' needs one or two different tag keys, got 0"),
    ({"tag_fields": {"instance": ["x" * 129]}}, "'instance': a tag key must have 1 to 128 characters"),
    ({"log_fields": "all"},
     "setting 'log_fields': has tag field(s) instance-tag, instance-tag-2, interface-tag, interface-tag-2, "
     "asg-tag, asg-tag-2 but 'tag_fields' names no tag keys, and AWS refuses such a flow log; set "
     f"tag_fields, e.g. {EXAMPLE}, or leave the tag fields out"),
    ({"tag_fields": TAGS},
     f"setting 'tag_fields': keys for 'instance', but log_fields has none of instance-tag, instance-tag-2, "
     f"{NOTHING_LOGGED}"),
    ({"tag_fields": {**TAGS, "auto-scaling-group": ["Team"]}, "log_fields": TAG_FORMAT},
     "setting 'tag_fields': keys for 'auto-scaling-group', but log_fields has none of asg-tag, asg-tag-2, "
     f"{NOTHING_LOGGED}"),
]


@pytest.mark.parametrize(("changes", "line"), BAD)
def test_bad_values_give_one_line(changes: dict[str, object], line: str) -> None:
    found = problems(**changes)
    assert len(found) == 1, found
    assert line in found[0], found


def test_all_fields_with_tag_keys_are_accepted() -> None:
    s = load({**BASE, "log_fields": "all", "tag_fields": {"instance": ["Name"]}})
    assert len(s.fields) == 54 and s.tag_fields == {"instance": ["Name"]}
