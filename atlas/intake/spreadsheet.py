"""Read the rows of a CSV or XLSX file as people make them: BOM, ';' or ',' delimiters,
Windows encodings, header rows with readable labels, Excel numbers and Indonesian separators.

Files are read within limits, so a small hostile file costs little: the file size, the unpacked
size of a workbook (checked before any XML is parsed, which stops zip bombs and giant cells),
rows, columns and characters per cell. XML is parsed with defusedxml (no entity expansion, no
external entities). Cells that would be read silently wrong are marked: the later cells of a
merged range (``MergedCell``) and formulas that have no saved value (``UncalculatedFormula``).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils.cell import column_index_from_string

from atlas.bounded import bounded
from atlas.data.crosswalk import normalise_name
from atlas.data.values import count_problem
from atlas.errors import SpreadsheetError

MAX_FILE_BYTES = 5 * 1024 * 1024  # a full Jawa Tengah table is well under 1 MB
MAX_UNPACKED_BYTES = 20_000_000  # a workbook's XML, unpacked: 8,563 villages take about 3 MB
MAX_ROWS = 50_000
MAX_COLUMNS = 60
MAX_CELL_CHARS = 1_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # encrypted (password) workbooks and old .xls files


@dataclass(frozen=True)
class MergedCell:
    """A cell covered by a merged range whose value stands only in its first cell."""

    cell: str
    merged: str

    def __str__(self) -> str:
        return f"(cell {self.cell}, merged {self.merged})"


@dataclass(frozen=True)
class UncalculatedFormula:
    """A formula cell that the file saved without its value."""

    cell: str
    formula: str

    def __str__(self) -> str:
        return f"(cell {self.cell}: {self.formula})"


CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
TEXT_ENCODINGS = ("utf-8-sig", "cp1252")


def read_rows(path: Path) -> list[tuple[int, list]]:
    """(row number as the user sees it, cell values) of every non-empty row, header included;
    the file is parsed in a bounded child process (``atlas.bounded``)."""
    path = Path(path)
    if not path.is_file():
        raise SpreadsheetError(f"{path}: file not found")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SpreadsheetError(f"{path.name}: {size / 1e6:.1f} MB is over the limit of {MAX_FILE_BYTES / 1e6:.0f} MB")
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
        raise SpreadsheetError(f"{path.name}: use a .csv or .xlsx file (got {suffix or 'no extension'})")
    return bounded(_parsed_rows, path, name=path.name)


def _parsed_rows(path: Path) -> list[tuple[int, list]]:
    rows = _csv_rows(path.read_bytes(), path.name) if path.suffix.lower() in CSV_SUFFIXES else _xlsx_rows(path)
    return [(number, cells) for number, cells in rows if any(c is not None and str(c).strip() for c in cells)]


def header_key(label) -> str:
    """Normalised header: 'Kode desa/kelurahan (KDEPUM)' -> 'kdepum', 'Pelaku usaha' -> 'pelakuusaha'."""
    text = str(label or "")
    inner = re.search(r"\(([^)]*)\)\s*$", text)
    return normalise_name(inner.group(1) if inner else text)


def parse_count(value) -> int | None:
    """A count from a cell: 1468, 1468.0, '1468', '1.468' (Indonesian thousands), ' 1 468 '.

    Empty gives None; anything that is not a whole number within the stored-value contract
    (``atlas.data.values``) raises ValueError with the reason.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("is not a number")
    if isinstance(value, MergedCell):
        raise ValueError(f"is part of the merged cells {value.merged}: give each unit its own count")
    if isinstance(value, UncalculatedFormula):
        raise ValueError(
            f"is a formula in cell {value.cell} saved without its value: open and save the file in a "
            "spreadsheet program, or type the number"
        )
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("is not a finite number")
        if value != int(value):
            raise ValueError("is not a whole number")
        number = int(value)
    else:
        text = re.sub(r"[\s\u00a0]", "", str(value))
        text = re.sub(r",0+$", "", text)  # '1.468,00'
        if re.fullmatch(r"-\d[\d.]*", text):
            raise ValueError("is negative")
        if re.fullmatch(r"[1-9]\d{0,2}(\.\d{3})+", text):  # 1.468; not 0.001
            text = text.replace(".", "")
        if not re.fullmatch(r"\d{1,12}", text):
            raise ValueError("is not a whole number (write 1468 or 1.468)")
        number = int(text)
    problem = count_problem(number)
    if problem:
        raise ValueError(problem)
    return number


def _csv_rows(data: bytes, name: str) -> list[tuple[int, list]]:
    text = _decode(data, name)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        rows: list[tuple[int, list]] = []
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise SpreadsheetError(f"{name}: more than {MAX_ROWS:,} rows, over the limit for a counts table")
            rows.append((reader.line_num, _checked_cells(row, reader.line_num, name)))
        return rows
    except csv.Error as exc:
        raise SpreadsheetError(f"{name}: malformed CSV near line {reader.line_num}: {exc}") from None


def _decode(data: bytes, name: str) -> str:
    """Text of a CSV: UTF-16 with a byte-order mark, UTF-8 (BOM or not) or Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in TEXT_ENCODINGS:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                last = exc
        raise SpreadsheetError(
            f"{name}: not readable text (byte 0x{data[last.start]:02x} at position {last.start} is "
            "neither UTF-8 nor Windows-1252); save the file as CSV UTF-8 and try again"
        ) from None
    raise SpreadsheetError(f"{name}: damaged UTF-16 text; save the file as CSV UTF-8 and try again")


def _xlsx_rows(path: Path) -> list[tuple[int, list]]:
    _check_workbook_package(path)
    from openpyxl import load_workbook

    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
        sheet, formula_sheet = values.worksheets[0], formulas.worksheets[0]
        if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
            raise SpreadsheetError(
                f"{path.name}: {sheet.max_row:,} rows x {sheet.max_column:,} columns is over the limit of "
                f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns"
            )
        marks = _merged_cells(sheet) | _uncalculated_formulas(sheet, formula_sheet)
        rows: list[tuple[int, list]] = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells = [marks.get(cell.coordinate, cell.value) for cell in row if hasattr(cell, "coordinate")]
            rows.append((number, _checked_cells(cells, number, path.name)))
        return rows
    except SpreadsheetError:
        raise
    except Exception as exc:  # hostile or damaged files fail inside openpyxl in many ways
        detail = str(exc).replace(str(path), path.name).splitlines()[0][:200] if str(exc) else ""
        reason = f"{type(exc).__name__}: {detail}"
        raise SpreadsheetError(f"{path.name}: not a readable XLSX workbook ({reason})") from None


def _check_workbook_package(path: Path) -> None:
    """Refuse what is not an .xlsx package, or unpacks to too much, before parsing any XML."""
    with open(path, "rb") as handle:
        if handle.read(4) == OLE_MAGIC:
            raise SpreadsheetError(
                f"{path.name}: a password-protected or old-format (.xls) workbook; save it as .xlsx "
                "without a password and try again"
            )
    try:
        with zipfile.ZipFile(path) as package:
            unpacked = sum(member.file_size for member in package.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise SpreadsheetError(f"{path.name}: not a readable XLSX workbook ({exc})") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            f"{path.name}: unpacks to {unpacked / 1e6:,.0f} MB, over the limit of "
            f"{MAX_UNPACKED_BYTES / 1e6:.0f} MB for a counts table"
        )
    _check_merged_ranges(path)


MERGED_RANGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')


def _check_merged_ranges(path: Path) -> None:
    """Refuse a merged range beyond the table limits before openpyxl sees it: it would make an
    object for every cell of the range (a range over a whole sheet takes gigabytes)."""
    with zipfile.ZipFile(path) as package:
        for member in package.namelist():
            if not member.startswith("xl/worksheets/"):
                continue
            for found in MERGED_RANGE.findall(package.read(member)):
                first_column, first_row, last_column, last_row = (part.decode() for part in found)
                if int(last_row) > MAX_ROWS or column_index_from_string(last_column) > MAX_COLUMNS:
                    reach = f"{first_column}{first_row}:{last_column}{last_row}"
                    raise SpreadsheetError(
                        f"{path.name}: merged range {reach} reaches beyond {MAX_ROWS:,} rows x {MAX_COLUMNS} columns"
                    )


def _merged_cells(sheet) -> dict[str, MergedCell]:
    """Every cell of a merged range but its first, marked with the range."""
    marks = {}
    for merged in sheet.merged_cells.ranges:
        for row, column in list(merged.cells)[1:]:
            cell = sheet.cell(row, column).coordinate
            marks[cell] = MergedCell(cell, merged.coord)
    return marks


def _uncalculated_formulas(sheet, formula_sheet) -> dict[str, UncalculatedFormula]:
    """Formula cells saved without a value (``data_only`` reads them as empty)."""
    marks = {}
    for row in formula_sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" and sheet[cell.coordinate].value is None:
                marks[cell.coordinate] = UncalculatedFormula(cell.coordinate, str(cell.value)[:40])
    return marks


def _checked_cells(cells: list, number: int, name: str) -> list:
    """The cells of one row, refusing a cell longer than ``MAX_CELL_CHARS``."""
    if len(cells) > MAX_COLUMNS:
        raise SpreadsheetError(f"{name}: row {number} has {len(cells)} cells, over the limit of {MAX_COLUMNS}")
    for position, value in enumerate(cells, start=1):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise SpreadsheetError(
                f"{name}: row {number}, column {position} holds {len(value):,} characters, over the limit "
                f"of {MAX_CELL_CHARS:,}"
            )
    return cells
