"""Read the rows of a CSV or XLSX file as people make them: BOM, ';' or ',' delimiters,
Windows encodings, header rows with readable labels, Excel numbers and Indonesian separators."""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from pathlib import Path

from atlas.data.crosswalk import normalise_name
from atlas.data.values import count_problem
from atlas.errors import SpreadsheetError

MAX_FILE_BYTES = 5 * 1024 * 1024  # a full Jawa Tengah table is well under 1 MB
CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
TEXT_ENCODINGS = ("utf-8-sig", "cp1252")


def read_rows(path: Path) -> list[tuple[int, list]]:
    """(row number as the user sees it, cell values) of every non-empty row, header included."""
    path = Path(path)
    if not path.is_file():
        raise SpreadsheetError(f"{path}: file not found")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SpreadsheetError(f"{path.name}: {size / 1e6:.1f} MB is over the limit of {MAX_FILE_BYTES / 1e6:.0f} MB")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        rows = _csv_rows(path.read_bytes(), path.name)
    elif suffix in XLSX_SUFFIXES:
        rows = _xlsx_rows(path)
    else:
        raise SpreadsheetError(f"{path.name}: use a .csv or .xlsx file (got {suffix or 'no extension'})")
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
        return [(reader.line_num, row) for row in reader]
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
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SpreadsheetError(f"{path.name}: not a readable XLSX workbook ({exc})") from None
    try:
        sheet = workbook.worksheets[0]
        return [(number, list(row)) for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()
