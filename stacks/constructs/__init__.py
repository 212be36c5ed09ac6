"""Small constructs of the kit, each built from typed arguments (never from ``Settings``).

A construct that wraps one main resource names it ``Default``, so the construct's own id is the
resource's logical id: deployed investigations update in place.
"""

from stacks.constructs.evidence_key import EvidenceKey
from stacks.constructs.flow_log import TRANSIT_RESOURCE_TYPES, FlowLog, ResourceType, TrafficType
from stacks.constructs.glue_database import FlowLogDatabase
from stacks.constructs.glue_table import FlowLogTable
from stacks.constructs.log_bucket import LogBucket
from stacks.constructs.named_query import NamedQuery, query_construct_id
from stacks.constructs.output_reader import StackOutputReader
from stacks.constructs.scheduled_report import ScheduledReport
from stacks.constructs.workgroup import QueryWorkGroup

__all__ = [
    "TRANSIT_RESOURCE_TYPES",
    "EvidenceKey",
    "FlowLog",
    "FlowLogDatabase",
    "FlowLogTable",
    "LogBucket",
    "NamedQuery",
    "QueryWorkGroup",
    "ResourceType",
    "ScheduledReport",
    "StackOutputReader",
    "TrafficType",
    "query_construct_id",
]
