"""validate_rendered catches broken templates (written to a temporary sql folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowkit import catalogue, queries
from flowkit.layout import Layout
from flowkit.queries.checks import validate_rendered

CTX = queries.RenderContext("flowlogs_case", "flow_logs", catalogue.PRESETS["aws-default"], Layout(), 7)

GOOD_BODY = """SELECT srcaddr, count(*) AS flows
FROM {{ database }}.{{ table }}
WHERE {{ window }} AND {{ ok }} AND dstaddr = {{ p.address }}
GROUP BY srcaddr
ORDER BY flows DESC, srcaddr"""


PARAM = "-- param: address ip  Destination address\n"


def write(folder: Path, name: str, body: str = GOOD_BODY, description: str | None = None,
          params: str = PARAM, fields: str = "srcaddr dstaddr") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.sql").write_text(
        f"-- name: {name}\n-- description: {description or 'Probe query ' + name + '.'}\n"
        f"-- fields: {fields}\n{params}{body}\n")


def problems(folder: Path) -> list[str]:
    return validate_rendered(queries.render_all(CTX, templates=queries.load_catalogue(folder)), CTX)


def test_good_template_passes(tmp_path: Path) -> None:
    write(tmp_path, "good")
    assert problems(tmp_path) == []


@pytest.mark.parametrize(("body", "expected"), [
    (GOOD_BODY.replace("SELECT srcaddr,", "SELECT nosuch,").replace("GROUP BY srcaddr", "GROUP BY nosuch"),
     "unknown column or alias: Column 'nosuch' could not be resolved"),
    (GOOD_BODY.replace("SELECT srcaddr,", "SELECT pkt_srcaddr,").replace("GROUP BY srcaddr",
                                                                         "GROUP BY pkt_srcaddr"),
     "unknown column or alias: Column 'pkt_srcaddr' could not be resolved"),
    (GOOD_BODY.replace("ORDER BY flows DESC", "ORDER BY flowz DESC"), "unknown column or alias"),
    (GOOD_BODY.replace("{{ window }} AND ", ""),
     "a SELECT reading the table has no lower and no upper bound on dt, the time partition (full scan)"),
    (GOOD_BODY.replace("{{ window }}", "({{ window }} OR true)"), "no lower and no upper bound on dt"),
    (GOOD_BODY.replace("{{ window }}", "start >= 0 AND start < 10"), "bound on dt"),
    (GOOD_BODY.replace("{{ window }}", "dt >= 'a' AND start >= 0 AND start < 10"), "no upper bound on dt"),
    (GOOD_BODY.replace("{{ window }}", "dt >= 'a' AND dt <= 'b'"), "no lower and no upper bound on start"),
    (GOOD_BODY + " AND dstport = ?", "1 '?' placeholder(s) outside a WHERE clause"),
    (GOOD_BODY.replace("{{ ok }}", "{{ ok }} AND dstport = ?"),
     "has 2 '?' placeholder(s) but 1 parameter(s)"),
    (GOOD_BODY.replace("FROM {{ database }}.{{ table }}", 'FROM "other"."flow_logs"'),
     "reads table(s) other than \"flowlogs_case\".\"flow_logs\""),
    (GOOD_BODY.replace("count(*) AS flows", "count(*) AS flows FROM"), "not valid Trino SQL"),
    (GOOD_BODY + ";\nSELECT 1", "holds 2 statements, expected 1"),
    (GOOD_BODY.replace("count(*)", "countt(*)"), "Trino grammar check: unknown function 'countt'"),
])
def test_broken_templates_are_caught(tmp_path: Path, body: str, expected: str) -> None:
    write(tmp_path, "broken", body)
    found = problems(tmp_path)
    assert found, "no problem reported"
    assert all(line.startswith("query 'broken': ") for line in found)
    assert any(expected in line for line in found), found


def test_placeholder_outside_where(tmp_path: Path) -> None:
    body = GOOD_BODY.replace("AND dstaddr = {{ p.address }}", "").replace(
        "ORDER BY flows DESC, srcaddr", "ORDER BY flows DESC, srcaddr LIMIT {{ p.address }}")
    write(tmp_path, "limit-param", body, params="-- param: address int  How many\n")
    assert problems(tmp_path) == [
        "query 'limit-param': 1 '?' placeholder(s) outside a WHERE clause (Athena binds them only there)"]


def test_window_needed_in_every_select_reading_the_table(tmp_path: Path) -> None:
    body = ("SELECT a.srcaddr FROM (" + GOOD_BODY + ") AS a "
            "JOIN {{ database }}.{{ table }} AS b ON a.srcaddr = b.dstaddr")
    write(tmp_path, "join", body)
    found = problems(tmp_path)
    assert "query 'join': a SELECT reading the table has no lower and no upper bound on dt, " \
           "the time partition (full scan); use {{ window }}" in found


def test_duplicate_names_and_descriptions(tmp_path: Path) -> None:
    write(tmp_path / "one", "same", description="Same words.")
    write(tmp_path / "two", "same", description="Other words.")
    write(tmp_path / "two", "copy", description="Same words.")
    templates = queries.load_catalogue(tmp_path / "one") + queries.load_catalogue(tmp_path / "two")
    found = validate_rendered(queries.render_all(CTX, templates=templates), CTX)
    assert sorted(found) == [
        "query 'same': description is shared by 2 queries",
        "query 'same': name is used by 2 queries",
    ]


def test_names_and_descriptions_must_fit_athena() -> None:
    long_name = queries.RenderedQuery("x" * 129, "ok", "SELECT 1", ())
    empty = queries.RenderedQuery("empty", " ", "SELECT 1", ())
    wordy = queries.RenderedQuery("wordy", "w" * 1025, "SELECT 1", ())
    found = validate_rendered([long_name, empty, wordy], CTX)
    assert f"query '{'x' * 129}': name must be 1-128 characters" in found
    assert "query 'empty': empty description" in found
    assert "query 'wordy': description longer than 1024 characters (Athena's limit)" in found


def test_too_many_placeholders() -> None:
    where = " AND ".join(["dstport = ?"] * 26)
    sql = (f'SELECT srcaddr FROM "flowlogs_case"."flow_logs" WHERE dt >= \'a\' AND dt <= \'b\' '
           f"AND start >= 0 AND start < 1 AND {where}")
    param = queries.Param("p", "p", "int")
    found = validate_rendered([queries.RenderedQuery("many", "d", sql, (param,) * 26)], CTX)
    assert found == ["query 'many': 26 parameters; Athena allows at most 25",
                     "query 'many': has 26 '?' placeholders; Athena allows at most 25"]


@pytest.mark.parametrize(("body", "expected"), [
    # Trino accepts both of these; Athena reserves FIRST, LAST and OF in SELECT statements
    (GOOD_BODY.replace("count(*) AS flows", "count(*) AS first").replace("flows DESC", "first DESC"),
     "uses first unquoted, which Athena reserves; write it in double quotes"),
    (GOOD_BODY.replace("count(*) AS flows", "min(start) AS last").replace("flows DESC", "last DESC"),
     "uses last unquoted, which Athena reserves"),
    # functions Trino 483 has that Athena engine version 3 is not known to have
    (GOOD_BODY.replace("count(*) AS flows", "count(*) AS flows, bitwise_xor_agg(dstport) AS x"),
     "calls BITWISE_XOR_AGG, not known to exist in Athena engine version 3"),
    (GOOD_BODY.replace("count(*) AS flows", "count(*) AS flows, max(ip_prefix(srcaddr, 24)) AS x"),
     "calls IP_PREFIX, not known to exist in Athena engine version 3"),
])
def test_what_trino_accepts_but_athena_refuses(tmp_path: Path, body: str, expected: str) -> None:
    write(tmp_path, "lenient", body=body)
    found = problems(tmp_path)
    assert any(expected in problem for problem in found), found


def test_quoted_reserved_words_are_fine(tmp_path: Path) -> None:
    body = GOOD_BODY.replace("count(*) AS flows", 'count(*) AS "first"').replace("flows DESC", '"first" DESC')
    write(tmp_path, "quoted", body=body)
    assert problems(tmp_path) == []
