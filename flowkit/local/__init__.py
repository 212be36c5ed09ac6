"""The local engine: run a saved query on a local copy of the bucket with DuckDB.

The files under a folder (any of the eight key layouts, text or Parquet, any accounts and regions)
are read once into a store inside the folder (``.flowlogs-store``, see :mod:`flowkit.local.store`);
each query brings the store up to date for its time window (new, changed and removed files) and runs
on a view named like the Athena table, with every catalogue column plus ``aws_account``,
``aws_region`` and ``dt``. The query is the catalogue template rendered for a local layout and
translated by :mod:`flowkit.local.translate`; nothing is written twice.

Text files are read by their own header line, Parquet files by column name. Problems never stop a
query and are never dropped silently: they go to ``notify`` (one line each, ``file:line``) when a
file is read, and later queries count them. As in Athena (LazySimpleSerDe), a text value that is not
a number in a numeric column is read as NULL and its record kept (counted in
:attr:`Result.null_values`); a line with the wrong number of fields is skipped (counted in
:attr:`Result.skipped_lines`). A Parquet file whose column types do not match the table is skipped,
where Athena would fail the query with HIVE_BAD_DATA.

Modules, in the order a query goes through them: ``discover`` (the files under the folder), ``run``
(window pruning, rendering), ``table`` (the store attached, the view, running), ``store`` (the
database and what changed), ``ingest`` (reading files into it, in parallel), ``text`` and ``parquet``
(the two readers), ``columns`` (the stored and the table's columns), ``diagnostics`` (bad values and
lines, as ``file:line``), ``translate`` and ``macros`` (Athena SQL to DuckDB), ``result`` and
``sqltext`` (small shared pieces). Importing this package imports neither DuckDB nor sqlglot;
running a query does.
"""

from flowkit.local.discover import DataFile, discover
from flowkit.local.macros import MACROS
from flowkit.local.result import EngineError, LocalRows, Result, RowStream
from flowkit.local.run import Window, run_saved, stream_saved
from flowkit.local.translate import TranslateError, translate

__all__ = [
    "MACROS",
    "DataFile",
    "EngineError",
    "LocalRows",
    "Result",
    "RowStream",
    "TranslateError",
    "Window",
    "discover",
    "run_saved",
    "stream_saved",
    "translate",
]
