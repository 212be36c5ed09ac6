"""What a flow log record field is, and a catalogue of them: the shape both record formats share.

The VPC catalogue (:mod:`flowkit.catalogue.vpc`) and the transit gateway one
(:mod:`flowkit.catalogue.transit`) are :class:`Catalogue` values: each feeds the LogFormat, the table
columns and the fields offered to the SQL templates of its own table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from flowkit.errors import KitError


@dataclass(frozen=True)
class FieldType:
    """One value type under each of its names: the only map between them."""

    parquet: str  # physical type AWS writes in Parquet files
    athena: str  # Glue/Hive DDL type of the table column
    sql: str  # Trino (Athena engine v3) type of a query expression
    duckdb: str  # type of the local engine's column


INT32 = FieldType("INT32", "int", "integer", "INTEGER")
INT64 = FieldType("INT64", "bigint", "bigint", "BIGINT")
STRING = FieldType("STRING", "string", "varchar", "VARCHAR")
TYPES: dict[str, FieldType] = {t.parquet: t for t in (INT32, INT64, STRING)}
# What the kit reads a field as when AWS documents no type for it: text holds every value AWS can
# write ('-', numbers, percent-encoded tag values) without turning any into NULL.
UNDOCUMENTED_TYPE = "STRING"


@dataclass(frozen=True)
class Field:
    """One flow log record field."""

    name: str  # hyphenated AWS name, as in the log format: ``log-status``
    version: int
    type: FieldType
    description: str
    type_documented: bool = True  # False: AWS documents no type; the kit reads it as UNDOCUMENTED_TYPE

    @property
    def column(self) -> str:
        """Athena/Glue/DuckDB column name: hyphens become underscores."""
        return self.name.replace("-", "_")

    @property
    def parquet_type(self) -> str:
        return self.type.parquet

    @property
    def athena_type(self) -> str:
        return self.type.athena

    @property
    def sql_type(self) -> str:
        return self.type.sql

    @property
    def duckdb_type(self) -> str:
        return self.type.duckdb

    @property
    def is_numeric(self) -> bool:
        return self.type is not STRING


def make_field(name: str, version: int, parquet_type: str | None, description: str) -> Field:
    """A field of the Parquet type AWS documents; ``None``: undocumented, read as text (and said so)."""
    if parquet_type is None:
        return Field(name, version, TYPES[UNDOCUMENTED_TYPE], description + " (AWS documents no type: read "
                     "as text.)", type_documented=False)
    return Field(name, version, TYPES[parquet_type], description)


class FieldSpecError(KitError):
    """A log_fields value that cannot be used; the message names the bad part."""


@dataclass(frozen=True)
class Catalogue:
    """Every field of one record format in documentation order, its presets and the fields the kit needs."""

    title: str  # "VPC", "transit gateway": what the record format is called in messages
    fields: tuple[Field, ...]
    presets: Mapping[str, tuple[Field, ...]]
    default_preset: str
    # every saved query filters on ``start`` (time window) and counts only ``log-status = 'OK'`` records
    required: tuple[str, ...] = ("start", "log-status")
    by_name: Mapping[str, Field] = field(init=False, repr=False, compare=False)
    by_column: Mapping[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})
        object.__setattr__(self, "by_column", {f.column: f for f in self.fields})

    def resolve(self, spec: str | Sequence[str]) -> tuple[Field, ...]:
        """Turn a preset name or an explicit list of hyphenated names into fields, in that order."""
        if isinstance(spec, str):
            if spec in self.presets:
                return self.presets[spec]
            names: Sequence[str] = [part.strip() for part in spec.split(",") if part.strip()]
            if len(names) == 1 and names[0] not in self.by_name:
                raise FieldSpecError(
                    f"'{spec}' is neither a preset ({', '.join(self.presets)}) nor a known field name"
                )
        else:
            names = list(spec)
        if not names:
            raise FieldSpecError("the field list is empty")
        problems: list[str] = []
        unknown = [n for n in names if n not in self.by_name]
        if unknown:
            hint = [f"{n} (did you mean {n.replace('_', '-')}?)" if n.replace("_", "-") in self.by_name else n
                    for n in unknown]
            problems.append("unknown field(s) " + ", ".join(hint))
        dupes = sorted(n for n, count in Counter(names).items() if count > 1)
        if dupes:
            problems.append("duplicate field(s) " + ", ".join(dupes))
        missing = [n for n in self.required if n not in names]
        if missing and not unknown:
            problems.append("missing required field(s) " + ", ".join(missing)
                            + " (the time window and status filters of every query need them)")
        if problems:
            raise FieldSpecError("; ".join(problems))
        return tuple(self.by_name[n] for n in names)

    def parse_log_format(self, text: str) -> tuple[Field, ...]:
        """Inverse of :func:`log_format` (used by tests and by readers of deployed formats)."""
        return tuple(self.by_name[token[2:-1]] for token in text.split())


def log_format(fields: Iterable[Field]) -> str:
    """The flow log's LogFormat string: ``${version} ${account-id} ...``."""
    return " ".join("${" + f.name + "}" for f in fields)


def record_version(fields: Iterable[Field]) -> int:
    """The ``version`` AWS writes in each record: the highest version among the format's fields."""
    return max(f.version for f in fields)
