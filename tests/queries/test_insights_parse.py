"""Every saved Logs Insights query's ``parse`` pattern, applied to records written in the deployed format,
gives each field its value under its column name.

The pattern is applied by an emulation of Logs Insights' glob-mode ``parse``, written from CloudWatch
Logs' documentation of the command (not from the kit's generator): each ``*`` is a placeholder whose text
is bound, in order, to the names after ``as``; the literal text around the wildcards must appear in the
event in that order; an event that does not match gets no extracted fields. A wildcard followed by
literal text takes the text up to that literal's next occurrence, the last one the rest of the event.
The records are built here from the AWS documentation's field names and formats.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from flowkit import catalogue
from flowkit.queries.insights import insights_queries

# log_fields presets as the VPC user guide lists them, plus a custom order (fields shuffled, a few left out)
DEFAULT_FORMAT = ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport",
                  "protocol", "packets", "bytes", "start", "end", "action", "log-status"]
CUSTOM_ORDER = ["log-status", "start", "dstport", "srcaddr", "end", "interface-id", "action", "dstaddr",
                "bytes", "packets", "flow-direction", "tcp-flags", "srcport", "protocol", "pkt-srcaddr"]
FORMATS: dict[str, str | list[str]] = {"aws-default": "aws-default", "v5": "v5", "all": "all",
                                       "custom": CUSTOM_ORDER}
PARSE_LINE = re.compile(r'^parse @message "(?P<pattern>[^"]*)" as (?P<names>.+)$')


def glob_parse(pattern: str, event: str) -> list[str] | None:
    """Logs Insights' glob ``parse`` of one event: the text of each ``*`` in order, or None (no match)."""
    literals = pattern.split("*")
    if not event.startswith(literals[0]):
        return None
    position = len(literals[0])
    captured: list[str] = []
    for literal in literals[1:-1]:
        found = event.find(literal, position)
        if found < 0:
            return None
        captured.append(event[position:found])
        position = found + len(literal)
    tail = literals[-1]
    if tail and (not event.endswith(tail) or len(event) - len(tail) < position):
        return None
    captured.append(event[position:len(event) - len(tail)])
    return captured


def test_the_emulation_follows_the_documented_examples() -> None:
    # the documentation's examples: "[*] *" on "[ERROR] A very strange error occurred!", and "*/*/*/*"
    assert glob_parse("[*] *", "[ERROR] A very strange error occurred!") == [
        "ERROR", "A very strange error occurred!"]
    assert glob_parse("*/*/*/*", "prod/api/i-01/shard-3") == ["prod", "api", "i-01", "shard-3"]
    assert glob_parse("user=*, method:*", "latency 3") is None


def sample_value(field: str, index: int) -> str:
    """A value AWS could write for the field, different for every field of a record."""
    numbers = {"version": "5", "srcport": "40123", "dstport": "443", "protocol": "6", "packets": "12",
               "bytes": "3400", "start": "1714568460", "end": "1714568520", "tcp-flags": "19",
               "traffic-path": "2"}
    words = {"account-id": "123456789012", "interface-id": "eni-0123456789abcdef0", "srcaddr": "10.0.1.25",
             "dstaddr": "2001:db8::7", "action": "ACCEPT", "log-status": "OK", "type": "IPv6",
             "flow-direction": "ingress", "pkt-srcaddr": "10.0.9.9", "pkt-dstaddr": "10.0.9.8",
             "region": "eu-west-1", "reject-reason": "-"}
    return numbers.get(field) or words.get(field) or f"{field}-value-{index}"


def record_line(fields: Sequence[str], blank: Sequence[str] = ()) -> dict[str, str]:
    """One record as {field: value}: ``blank`` fields are ``-`` as in NODATA/SKIPDATA records."""
    return {f: "-" if f in blank else sample_value(f, i) for i, f in enumerate(fields)}


def parse_clause(query: str) -> tuple[str, list[str]]:
    first = query.splitlines()[0]
    match = PARSE_LINE.match(first)
    assert match, f"the query does not start with a parse command: {first!r}"
    return match["pattern"], [name.strip() for name in match["names"].split(",")]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("blank", [(), ("srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
                                        "bytes", "action")], ids=["OK", "NODATA"])
def test_every_query_parses_every_field_of_the_deployed_format(fmt: str, blank: tuple[str, ...]) -> None:
    fields = catalogue.resolve(FORMATS[fmt])
    names = [f.name for f in fields]
    if fmt == "aws-default":
        assert names == DEFAULT_FORMAT
    record = record_line(names, blank)
    event = " ".join(record[name] for name in names)  # the record as delivered: format order, one space
    queries = insights_queries(fields, "case")
    assert queries
    for query in queries:
        pattern, aliases = parse_clause(query.query_string)
        captured = glob_parse(pattern, event)
        assert captured is not None, (query.key, pattern, event)
        assert len(captured) == len(aliases), query.key
        extracted = dict(zip(aliases, captured, strict=True))
        # each field under its table column name: hyphens become underscores
        assert extracted == {name.replace("-", "_"): value for name, value in record.items()}, query.key


def test_a_record_of_a_shorter_format_does_not_match() -> None:
    """Records written in another format are not silently mis-assigned when they have fewer fields."""
    (query, *_) = insights_queries(catalogue.resolve("v5"), "case")
    pattern, _ = parse_clause(query.query_string)
    short = " ".join(record_line(DEFAULT_FORMAT).values())
    assert glob_parse(pattern, short) is None
