"""Fill-in templates for counts: every unit's code and names, empty count columns."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from atlas import config
from atlas.atomic import atomic_path
from atlas.data.boundaries import load_boundaries
from atlas.errors import OptionError

#: Readable headers; the part in brackets is what ``atlas import`` recognises.
HEADERS = {
    "KDEPUM": "Kode desa/kelurahan (KDEPUM)",
    "WADMKD": "Desa/kelurahan (WADMKD)",
    "WADMKC": "Kecamatan (WADMKC)",
    "WADMKK": "Kabupaten/kota (WADMKK)",
    "pelaku_usaha": "Jumlah pelaku usaha batik (pelaku_usaha)",
    "pekerja": "Jumlah pekerja batik (pekerja)",
    "catatan": "Catatan (catatan)",
}
INSTRUCTIONS = [
    "Isi jumlah pelaku usaha dan pekerja batik per desa/kelurahan (bilangan bulat, mis. 1468 atau 1.468).",
    "Biarkan kosong bila tidak ada data (jangan tulis 0 kecuali memang nol).",
    'Jangan ubah kolom kode dan nama. Impor: atlas import BERKAS --year TAHUN --source "SUMBER".',
    "Fill in batik producers and workers per village (whole numbers, e.g. 1468 or 1.468).",
    "Leave a unit blank when there is no data (write 0 only for a real zero).",
    'Do not change the code and name columns. Import: atlas import FILE --year YEAR --source "SOURCE".',
]


def template_frame(region: str) -> pd.DataFrame:
    """One row per desa/kelurahan of ``region``, with empty count columns."""
    desa = load_boundaries(config.region_codes(region)).desa
    frame = pd.DataFrame(desa[["KDEPUM", "WADMKD", "WADMKC", "WADMKK"]]).sort_values("KDEPUM")
    for column in ("pelaku_usaha", "pekerja", "catatan"):
        frame[column] = None
    return frame.rename(columns=HEADERS).reset_index(drop=True)


def write_template(region: str, out: str | Path, *, force: bool = False) -> Path:
    """Write the template as XLSX (with an instructions sheet) or CSV (UTF-8 with BOM)."""
    out = Path(out)
    frame = template_frame(region)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise OptionError(f"{out.name}: the template is written as .xlsx or .csv")
    with atomic_path(out, force=force) as tmp:
        if suffix == ".csv":
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
        else:
            _write_xlsx(frame, tmp)
    return out


def template_bytes(region: str) -> bytes:
    """The XLSX template as bytes (for a download button)."""
    with tempfile.TemporaryDirectory() as folder:
        return write_template(region, Path(folder) / "templat.xlsx").read_bytes()


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    from openpyxl.styles import Font

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="isian", index=False)
        pd.DataFrame({"Petunjuk / Instructions": INSTRUCTIONS}).to_excel(writer, sheet_name="petunjuk", index=False)
        sheet = writer.sheets["isian"]
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, width in zip("ABCDEFG", (18, 24, 22, 24, 22, 20, 30)):
            sheet.column_dimensions[column].width = width
        writer.sheets["petunjuk"].column_dimensions["A"].width = 110
