"""What went wrong reading text files, reported as ``file:line`` of the original file.

As in Athena (LazySimpleSerDe), a text value that is not a number in a numeric column is read as NULL
and its record kept; a line with the wrong number of fields is skipped. Both are reported here, each
with the file and line it came from, after the query ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from flowkit.local.columns import field_of
from flowkit.local.sqltext import first_line, quote_name
from flowkit.local.text import GROUP_PREFIX, TextGroup, TextGroups, read_csv_sql
from flowkit.messages import Notify

if TYPE_CHECKING:
    import duckdb

MAX_DETAILED_REJECTS = 50  # per query and kind of problem; the total is always reported

Location = tuple[str, int]  # original file, line
BadNumbers = dict[tuple[int, str], int]  # (file number, header name) -> values read as NULL


def notify_capped(notify: Notify, lines: Sequence[str], total: int, more: str) -> None:
    """The first MAX_DETAILED_REJECTS lines, then ``... and N more <more>`` for the rest of ``total``."""
    shown = lines[:MAX_DETAILED_REJECTS]
    for line in shown:
        notify(line)
    if total > len(shown):
        notify(f"... and {total - len(shown)} more {more}")


class TextDiagnostics:
    """Finds and reports the bad numbers and rejected lines of the text groups of one connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, text: TextGroups, notify: Notify) -> None:
        self.con, self.text, self.notify = con, text, notify

    def report(self) -> tuple[int, int]:
        """Report every problem; return (lines skipped, values read as NULL)."""
        bad_numbers = [(group, self._count_bad_numbers(group)) for group in self.text.groups.values()]
        skipped_lines = self._report_rejected_lines()
        null_values = self._report_bad_numbers([(g, n) for g, n in bad_numbers if n])
        return skipped_lines, null_values

    # -- text values that are not numbers ------------------------------------------------------------
    def _count_bad_numbers(self, group: TextGroup) -> BadNumbers:
        """(file number, header name) -> values TRY_CAST made NULL, over the whole group file.

        This scan reads every numeric column, whatever the query read, and also records the lines
        with the wrong number of fields in reject_errors.
        """
        numeric = [(h, f) for h in group.header if (f := field_of(h)) and f.is_numeric]
        source = f"{read_csv_sql(group)} AS r"
        if not numeric:
            self.con.execute(f"SELECT count(*) FROM {source}").fetchall()
            return {}
        bad = [f"(r.{quote_name(h)} IS NOT NULL AND TRY_CAST(r.{quote_name(h)} AS {f.duckdb_type}) IS NULL)"
               for h, f in numeric]
        rows = self.con.execute(
            f"SELECT r.{GROUP_PREFIX[0]}, {', '.join(f'count_if({b})' for b in bad)} FROM {source} "
            f"WHERE {' OR '.join(bad)} GROUP BY ALL"
        ).fetchall()
        return {(int(row[0]), h): int(n) for row in rows for (h, _), n in zip(numeric, row[1:], strict=True)
                if n}

    def _report_bad_numbers(self, found: Sequence[tuple[TextGroup, BadNumbers]]) -> int:
        """Report each value that was read as NULL, as ``file:line``; return how many there were."""
        total = sum(n for _, counts in found for n in counts.values())
        if not total:
            return 0
        details: list[tuple[Location, str, str]] = []
        for group, _counts in found:
            details += self._locate_bad_numbers(group)
        details.sort()
        notify_capped(self.notify, [
            f"{path}:{line}: column '{column}': '{value}' is not a number (read as NULL)"
            for (path, line), column, value in details
        ], total, "value(s) that are not numbers")
        files = {self.text.files[number].path for _, counts in found for number, _h in counts}
        self.notify(f"{total} value(s) in numeric columns of {len(files)} file(s) are not numbers and were "
                    "read as NULL, as Athena reads them; their records were kept")
        return total

    def _locate_bad_numbers(self, group: TextGroup) -> list[tuple[Location, str, str]]:
        """(original file and line, column, value) of the numbers DuckDB's typed reader rejects."""
        numeric = [h for h in group.header if (f := field_of(h)) and f.is_numeric]
        rejects = "store_rejects=true, rejects_table='flowkit_cast_errors', rejects_scan='flowkit_cast_scans'"
        self.con.execute(
            f"SELECT {', '.join(f'max(r.{quote_name(h)})' for h in numeric)} "
            f"FROM {read_csv_sql(group, typed=True, rejects=rejects)} AS r"
        ).fetchall()
        rows = self.con.execute(
            "SELECT e.line, e.error_type, e.column_idx, e.column_name, e.csv_line "
            "FROM flowkit_cast_errors AS e JOIN flowkit_cast_scans AS s "
            "ON e.scan_id = s.scan_id AND e.file_id = s.file_id WHERE s.file_path = ?",
            [str(group.path)],
        ).fetchall()
        broken = {int(line) for line, kind, *_ in rows if kind != "CAST"}  # skipped, reported elsewhere
        found = []
        for line, kind, index, name, csv_line in rows:
            if kind != "CAST" or int(line) in broken:
                continue
            where, _ = self._original_line(group, int(line), str(kind), str(csv_line or ""))
            fields = str(csv_line or "").split(" ")
            value = fields[int(index) - 1] if 0 < int(index) <= len(fields) else "?"
            f = field_of(str(name))
            found.append((where, f.column if f else str(name), value))
        return found

    # -- lines with the wrong number of fields -------------------------------------------------------
    def _report_rejected_lines(self) -> int:
        """Report every line DuckDB rejected, as ``file:line``; return how many there were."""
        if not self.text.groups:
            return 0
        rejects = self.con.execute(
            "SELECT s.file_path, e.line, e.error_type, e.csv_line, e.error_message "
            "FROM reject_errors AS e JOIN reject_scans AS s "
            "ON e.scan_id = s.scan_id AND e.file_id = s.file_id"
        ).fetchall()
        by_path = {str(g.path): g for g in self.text.groups.values()}
        found: dict[Location, str] = {}
        for path, line, kind, csv_line, message in rejects:
            group = by_path.get(str(path))
            where, why = self._original_line(group, int(line), str(kind), str(csv_line or ""))
            found.setdefault(where, why or first_line(message))
        ordered = sorted(found.items())
        notify_capped(self.notify, [f"{path}:{line}: malformed record skipped ({why})"
                                    for (path, line), why in ordered],
                      len(ordered), "malformed record(s)")
        if ordered:
            files = len({path for (path, _), _ in ordered})
            self.notify(f"{len(ordered)} malformed record(s) skipped in {files} file(s)")
        return len(ordered)

    def _original_line(self, group: TextGroup | None, line: int, kind: str,
                       csv_line: str) -> tuple[Location, str]:
        """The original file and line of a rejected line of a group file, and a reason."""
        head = csv_line.split(" ", 1)[0]
        if group is None or not head.isdigit() or int(head) not in group.starts:
            return (str(group.path) if group else "?", line), ""
        number = int(head)
        original = (str(self.text.files[number].path), line - group.starts[number] + 2)
        if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
            found = len(csv_line.split(" ")) - len(GROUP_PREFIX)
            return original, (f"{found} fields, the header has {len(group.header)}; Athena would read "
                              "its values into the wrong columns")
        return original, ""
