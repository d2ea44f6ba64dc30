"""How fast and how cheaply hostile files are refused (issue: "refused in under 5 s with peak
memory under 500 MB"). Every file is synthetic and hostile, written here into a temporary folder.

Each case runs ``atlas import FILE`` as a whole process (as Bappeda would), one warm-up run and
then ROUNDS counted runs with the cases interleaved; it reports median and min of wall and CPU
time and the import process's peak resident memory (``ru_maxrss`` from ``wait4``; the file itself
is parsed by the bounded reader of ``atlas/bounded.py``, a process of its fork server, which this
figure leaves out: ``bench_directory.py`` measures the whole tree).
Run: ``python benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import machine  # noqa: E402

ROUNDS = 5
ATLAS = [sys.executable, "-m", "atlas"]
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>"
)


def xlsx_with_sheet(path: Path, write_rows) -> Path:
    """A minimal .xlsx package whose sheet XML is streamed by ``write_rows(handle)``."""
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    workbook = (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="isian" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("_rels/.rels", rels)
        package.writestr("xl/workbook.xml", workbook)
        package.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD.encode())
            write_rows(sheet)
            sheet.write(b"</sheetData></worksheet>")
    return path


def giant_cell(handle) -> None:
    """One 1 GB text cell (the issue's case: a 1 MB file)."""
    handle.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
    chunk = b"x" * (1 << 20)
    for _ in range(1024):
        handle.write(chunk)
    handle.write(b"</t></is></c></row>")


def wide_rows(handle) -> None:
    """Rows of 16,000 cells each."""
    cells = b"".join(b'<c t="n"><v>1</v></c>' for _ in range(16_000))
    for number in range(1, 200):
        handle.write(b'<row r="%d">' % number + cells + b"</row>")


def many_rows(handle) -> None:
    """17 million small rows."""
    row = b'<row><c t="n"><v>1</v></c></row>'
    block = row * 100_000
    for _ in range(170):
        handle.write(block)


def cases(folder: Path) -> dict[str, Path]:
    unknown = ["Desa;pelaku_usaha;pekerja", *(f"Bukan Desa {i};1;1" for i in range(40_000))]
    too_long = ["Desa;pelaku_usaha;pekerja", *(f"Bukan Desa {i};1;1" for i in range(100_000))]
    (folder / "unknown_40k.csv").write_text("\n".join(unknown) + "\n", encoding="utf-8")
    (folder / "unknown_100k.csv").write_text("\n".join(too_long) + "\n", encoding="utf-8")
    return {
        "XLSX, one 1 GB text cell": xlsx_with_sheet(folder / "giant_cell.xlsx", giant_cell),
        "XLSX, 199 rows x 16,000 cells": xlsx_with_sheet(folder / "wide_rows.xlsx", wide_rows),
        "XLSX, 17 million rows": xlsx_with_sheet(folder / "many_rows.xlsx", many_rows),
        "CSV, 40,000 unknown names": folder / "unknown_40k.csv",
        "CSV, 100,000 unknown names": folder / "unknown_100k.csv",
    }


def run_once(path: Path, env: dict) -> tuple[float, float, float, int]:
    """Wall s, CPU s, peak RSS MB of one refused import (its own rusage, from wait4), exit code."""
    start = time.perf_counter()
    command = [*ATLAS, "import", str(path), "--year", "2024", "--source", "hostile benchmark", "--region", "kota"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = cases(Path(folder))
        env = {**os.environ, "ATLAS_DATASETS_DIR": str(Path(folder) / "datasets")}
        sizes = {name: path.stat().st_size / 1e6 for name, path in files.items()}
        for path in files.values():  # warm-up: imports and the boundary cache
            run_once(path, env)
        figures: dict[str, list] = {name: [] for name in files}
        for _ in range(ROUNDS):
            for name, path in files.items():
                figures[name].append(run_once(path, env))
        print(f"{time.strftime('%Y-%m-%d')}, {machine()}, {ROUNDS} rounds after a warm-up, interleaved")
        print("| file (synthetic, hostile) | size | wall median (min) | CPU median | peak memory | exit |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, runs in figures.items():
            walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
            peak = max(r[2] for r in runs)
            codes = sorted({r[3] for r in runs})
            print(
                f"| {name} | {sizes[name]:.1f} MB | {statistics.median(walls):.2f} s ({min(walls):.2f}) "
                f"| {statistics.median(cpus):.2f} s | {peak:.0f} MB | {codes} |"
            )


if __name__ == "__main__":
    main()
