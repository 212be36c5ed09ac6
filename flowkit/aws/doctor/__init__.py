"""``flowlogs doctor``: after ``cdk deploy``, check that logs flow into exactly what the table reads.

One module per concern: ``checks`` (the result of a check), ``deployment`` (stacks and flow logs),
``table`` (the Glue table), ``objects`` (the newest file and what lies where the table does not read),
``files`` (a file's header or schema against the table), ``workgroup`` (workgroup, a tiny query, the
saved queries) and ``run`` (the order, and skipping what cannot run). Nothing here prints.
"""

from flowkit.aws.doctor.checks import Check, Status
from flowkit.aws.doctor.deployment import NoSuchInvestigation
from flowkit.aws.doctor.run import diagnose

__all__ = ["Check", "NoSuchInvestigation", "Status", "diagnose"]
