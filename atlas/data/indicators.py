"""Load and validate the atlas's indicator tables (small hand-written CSV files in geodata/).

Every table is checked against a schema: required columns, types, non-negative counts, allowed
values and duplicate keys. Errors name the file, the line, the column and the value. The frame's
index is the line number in the file, so later steps (name matching) can point back to it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from atlas import config
from atlas.data.values import count_problem, shown, text_problem, year_problem
from atlas.errors import IndicatorTableError

TABEL1_FILE = config.GEODATA_DIR / "tabel1_pel_batik_2017.csv"
CROSSWALK_FILE = config.GEODATA_DIR / "crosswalk_kelurahan_2015.csv"
TOTALS_FILE = config.GEODATA_DIR / "published_totals.csv"
UNIT_FIGURES_FILE = config.GEODATA_DIR / "published_unit_figures.csv"
MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, kind and, for 'choice', the allowed values."""

    name: str
    kind: str = "text"  # text, count, year, a code (see _PATTERNS), shapefile_name or choice
    choices: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class TableSchema:
    """Columns of a table and the columns whose combination must be unique."""

    columns: tuple[Column, ...]
    key: tuple[str, ...]


COUNTS_SCHEMA = TableSchema(
    columns=(
        Column("kode_kabkota", "kabkota_code"),
        Column("kecamatan"),
        Column("klaster"),
        Column("nama_di_sumber"),
        Column("pelaku_usaha", "count"),
        Column("pekerja", "count"),
        Column("tahun", "year"),
        Column("sumber"),
    ),
    key=("kode_kabkota", "klaster", "tahun"),
)
CROSSWALK_SCHEMA = TableSchema(
    columns=(
        Column("kode", "village_code"),
        Column("kelurahan"),
        Column("kelurahan_lama"),
        Column("keyakinan", "choice", ("stated", "implied", "inferred", "uncertain", "unresolved")),
        Column("sumber"),
        Column("tahun", "year"),
    ),
    key=("kode", "kelurahan_lama"),
)
#: A dataset imported by ``atlas import``: counts already matched to village codes.
IMPORTED_SCHEMA = TableSchema(
    columns=(
        Column("KDEPUM", "village_code"),
        Column("nama_di_sumber"),
        Column("kelurahan_lama", required=False),
        Column("pelaku_usaha", "count"),
        Column("pekerja", "count"),
        Column("tahun", "year"),
        Column("sumber"),
        Column("diimpor"),
        Column("berkas"),
        Column("tanpa_pekerja", "count", required=False),
    ),
    key=("KDEPUM", "nama_di_sumber"),
)
#: A kecamatan-level dataset (a table with kecamatan and no desa): never spread over desa.
KECAMATAN_SCHEMA = TableSchema(
    columns=(
        Column("KDCPUM", "kecamatan_code"),
        Column("nama_di_sumber"),
        Column("pelaku_usaha", "count"),
        Column("pekerja", "count"),
        Column("tahun", "year"),
        Column("sumber"),
        Column("diimpor"),
        Column("berkas"),
    ),
    key=("KDCPUM",),
)
TOTALS_SCHEMA = TableSchema(
    columns=(
        Column("kode", "kabkota_code"),
        Column("wilayah"),
        Column("kolom"),
        Column("kolom_shp", "shapefile_name"),
        Column("indikator"),
        Column("indikator_en"),
        Column("nilai", "count"),
        Column("perkiraan", "choice", ("yes", "no")),
        Column("tahun", "year"),
        Column("sumber"),
    ),
    key=("kode", "kolom"),
)

#: Figures published for a unit (kab/kota or desa) by other definitions than the counts
#: (SOURCES.md section 8): shown beside the counts, never merged into a count dataset.
UNIT_FIGURES_SCHEMA = TableSchema(
    columns=(
        Column("kode", "unit_code"),
        Column("wilayah"),
        Column("indikator"),
        Column("indikator_en"),
        Column("nilai", "count"),
        Column("perkiraan", "choice", ("yes", "no")),
        Column("tahun", "year"),
        Column("sumber"),
        Column("catatan_id"),
        Column("catatan_en"),
    ),
    key=("kode", "indikator", "tahun"),
)

_PATTERNS = {
    "kabkota_code": re.compile(r"^\d{2}\.\d{2}$"),
    "village_code": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
    "kecamatan_code": re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    "unit_code": re.compile(r"^\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?$"),
    "count": re.compile(r"^\d+$"),
    "year": re.compile(r"^\d{4}$"),
    "shapefile_name": re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,9}$"),
}
_EXPECTED = {
    "kabkota_code": "a kab/kota code like 33.75",
    "village_code": "a village code like 33.75.02.1004",
    "kecamatan_code": "a kecamatan code like 33.75.02",
    "unit_code": "a kab/kota, kecamatan or village code like 33.75 or 33.75.02.1004",
    "count": "a whole number of 0 or more",
    "year": "a four-digit year",
    "shapefile_name": "a Shapefile field name (letters, digits, _; at most 10 characters)",
}


def load_counts(path: Path = TABEL1_FILE) -> pd.DataFrame:
    """Producer and worker counts per cluster (Tabel 1 by default)."""
    return read_table(path, COUNTS_SCHEMA)


def load_crosswalk_table(path: Path = CROSSWALK_FILE) -> pd.DataFrame:
    """The pre-2015 to current kelurahan crosswalk."""
    return read_table(path, CROSSWALK_SCHEMA)


def load_totals(path: Path = TOTALS_FILE) -> pd.DataFrame:
    """Published kab/kota totals, one row per figure and source."""
    return read_table(path, TOTALS_SCHEMA)


def load_unit_figures(path: Path = UNIT_FIGURES_FILE) -> pd.DataFrame:
    """Figures published per unit by other definitions (shown beside the counts)."""
    return read_table(path, UNIT_FIGURES_SCHEMA)


def read_table(path: Path, schema: TableSchema) -> pd.DataFrame:
    """Read a CSV and validate it against ``schema``; raise one error listing every problem."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, strict=True)
            header = reader.fieldnames or []
            missing = [c.name for c in schema.columns if c.required and c.name not in header]
            if missing:
                raise IndicatorTableError(f"{path}: missing column(s) {', '.join(missing)}; the header is {header}")
            records, lines, problems = [], [], []
            for record in reader:
                line = reader.line_num
                if None in record or any(v is None for v in record.values()):
                    problems.append(f"line {line}: expected {len(header)} fields")
                    continue
                for column in schema.columns:  # an optional column a file predates is empty
                    record.setdefault(column.name, "")
                problems += _check_row(record, line, schema)
                records.append(record)
                lines.append(line)
    except FileNotFoundError:
        raise IndicatorTableError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise IndicatorTableError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise IndicatorTableError(f"{path}: malformed CSV near line {reader.line_num}: {exc}") from None

    frame = pd.DataFrame(records, index=pd.Index(lines, name="line"), columns=[c.name for c in schema.columns])
    problems += _duplicates(frame, schema.key)
    if not problems and frame.empty:
        problems.append("no data rows")
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        raise IndicatorTableError(f"{path}: " + "; ".join(shown) + (f"; and {more} more problem(s)" if more else ""))
    for column in schema.columns:
        if column.kind in ("count", "year"):
            numbers = pd.to_numeric(frame[column.name].replace("", None))
            frame[column.name] = numbers.astype("int64" if column.required else "Int64")
    return frame


def _check_row(record: dict, line: int, schema: TableSchema) -> list[str]:
    problems = []
    for column in schema.columns:
        value = record[column.name].strip()
        record[column.name] = value
        if not value:
            if column.required:
                problems.append(f"line {line}, column {column.name}: empty value")
        elif column.kind == "choice" and value not in column.choices:
            problems.append(f"line {line}, column {column.name}: {value!r} is not one of {', '.join(column.choices)}")
        elif column.kind in _PATTERNS and not _PATTERNS[column.kind].fullmatch(value):
            reason = (
                "is negative"
                if value.startswith("-") and column.kind == "count"
                else f"is not {_EXPECTED[column.kind]}"
            )
            problems.append(f"line {line}, column {column.name}: {shown(value)} {reason}")
        else:
            problem = _value_problem(column.kind, value)
            if problem:
                problems.append(f"line {line}, column {column.name}: {shown(value)} {problem}")
    return problems


def _value_problem(kind: str, value: str) -> str | None:
    """The stored-value contract (``atlas.data.values``) for a cell that has the right shape."""
    if kind == "count":
        return count_problem(int(value))
    if kind == "year":
        return year_problem(int(value))
    return text_problem(value)


def _duplicates(frame: pd.DataFrame, key: tuple[str, ...]) -> list[str]:
    dupes = frame[frame.duplicated(list(key), keep=False)]
    problems = []
    for values, group in dupes.groupby(list(key), sort=False):
        lines = ", ".join(str(i) for i in group.index)
        problems.append(f"lines {lines}: duplicate {'/'.join(key)} {values}")
    return problems
