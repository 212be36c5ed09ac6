"""Expected answers of the saved queries of the fields of versions 8 to 11, from their descriptions.

Registered into reference_queries.EXPECTED; plain Python, no SQL, no flowkit.
"""

from __future__ import annotations

from collections.abc import Mapping

from tests.expectations.reference_queries import Answer, Record, Window, fields, in_window, query, totals


def _or_dash(value: str | None) -> str:
    return "-" if value is None else value


@query("rejected-by-reason")
def rejected_by_reason(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    rejected = [r for r in in_window(records, w) if r["action"] == "REJECT"]
    per: dict[str, list[Record]] = {}
    for r in rejected:
        per.setdefault(_or_dash(r["reject-reason"]), []).append(r)
    rows = [(reason, len(rs), sum(r["packets"] for r in rs), sum(r["bytes"] for r in rs),
             len({r["srcaddr"] for r in rs})) for reason, rs in per.items()]
    columns = ["reject_reason", "rejected_flows", "packets", "bytes", "sources"]
    return columns, sorted(rows, key=lambda r: (-r[1], r[0]))


@query("unencrypted-traffic")
def unencrypted_traffic(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    plain = [r for r in in_window(records, w) if r["encryption-status"] == "0"]
    rows = [(*key, *v) for key, v in totals(plain, fields("srcaddr", "dstaddr")).items()]
    columns = ["srcaddr", "dstaddr", "flows", "packets", "bytes"]
    return columns, sorted(rows, key=lambda r: (-r[4], r[0], r[1]))


@query("cross-az-traffic")
def cross_az_traffic(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    crossing = [r for r in in_window(records, w) if r["az-id"] is not None and r["next-hop-az-id"] is not None
                and r["az-id"] != r["next-hop-az-id"]]
    rows = [(*key, *v) for key, v in totals(crossing, fields("az-id", "next-hop-az-id")).items()]
    columns = ["az_id", "next_hop_az_id", "flows", "packets", "bytes"]
    return columns, sorted(rows, key=lambda r: (-r[4], r[0], r[1]))


def _by_tag(records: list[Record], w: Window, short: str) -> Answer:
    """Both tag fields are in the fixture's format, so the query groups by the two values."""
    first, second = f"{short}-tag", f"{short}-tag-2"
    per = totals(in_window(records, w), lambda r: (_or_dash(r[first]), _or_dash(r[second])))
    rows = [(*key, *v) for key, v in per.items()]
    columns = [first.replace("-", "_"), second.replace("-", "_"), "flows", "packets", "bytes"]
    return columns, sorted(rows, key=lambda r: (-r[4], r[0], r[1]))


@query("bytes-by-instance-tag")
def bytes_by_instance_tag(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    return _by_tag(records, w, "instance")


@query("bytes-by-interface-tag")
def bytes_by_interface_tag(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    return _by_tag(records, w, "interface")


@query("bytes-by-asg-tag")
def bytes_by_asg_tag(records: list[Record], w: Window, p: Mapping[str, str]) -> Answer:
    return _by_tag(records, w, "asg")
