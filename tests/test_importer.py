"""Importing Bappeda's spreadsheets: messy but valid files are accepted as a new dataset
version; each invalid case is rejected with a report and changes nothing."""

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from atlas.analysis.layers import build_layers
from atlas.config import datasets_dir
from atlas.data.datasets import list_datasets
from atlas.errors import OutputExistsError
from atlas.intake import spreadsheet
from atlas.intake.importer import ImportRejected, import_counts
from atlas.intake.template import write_template
from tests.conftest import write_text


def snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in folder.glob("*")} if folder.exists() else {}


def village(layers, code):
    return layers.desa.set_index("KDEPUM").loc[code]


# A ';'-separated CSV as a spreadsheet program saves it: BOM, Indonesian thousands, pre-2015 names,
# odd case and spacing. Counts are labelled synthetic test values, not real data.
MESSY_CSV = (
    "\ufeffDesa/Kelurahan;Kecamatan;Pelaku usaha;Pekerja\n"
    "  PASIRSARI ;Pekalongan Barat;110;1.468\n"
    "kauman;Pekalongan Timur;31;440\n"
    "Banyurip Ageng;;50;510\n"
    "Banyurip  Alit;;90;290\n"
    "Tirto;Wiradesa;;\n"
)


def test_messy_csv_becomes_a_new_version(mirror, datasets, tmp_path):
    path = write_text(tmp_path / "hitungan 2024.csv", MESSY_CSV)
    result = import_counts(path, 2024, "Survei Bappeda 2024 (synthetic test)")
    assert (result.rows, result.units, result.producers, result.workers) == (4, 3, 281, 2708)
    assert [d.year for d in list_datasets()] == [2017, 2024]
    new = build_layers("all", year=2024)
    assert (village(new, "33.75.01.1008")["pekerja"], village(new, "33.75.01.1008")["status_data"]) == (1468, "partial")
    assert (village(new, "33.75.02.1004")["pelaku_usaha"], village(new, "33.75.02.1004")["status_data"]) == (
        31,
        "reported",
    )
    assert village(new, "33.75.04.1002")["pekerja"] == 510 + 290
    assert new.desa["pelaku_usaha"].notna().sum() == 3  # the blank row stays "no data"
    old = build_layers("all", year=2017)
    assert village(old, "33.75.02.1004")["pekerja"] == 434  # the 2017 data are untouched


def test_filled_xlsx_template_imports_by_code(mirror, datasets, tmp_path):
    path = write_template("kota", tmp_path / "isian.xlsx")
    book = load_workbook(path)
    sheet = book["isian"]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["33.75.02.1004"], 5, 32)  # numbers typed into Excel
    sheet.cell(rows["33.75.02.1004"], 6, 450)
    sheet.cell(rows["33.75.01.1008"], 5, "108")  # numbers stored as text
    sheet.cell(rows["33.75.01.1008"], 6, "1.470")
    book.save(path)
    result = import_counts(path, 2025, "Isian Bappeda 2025 (synthetic test)")
    assert (result.rows, result.producers, result.workers) == (2, 140, 1920)
    layers = build_layers("kota", year=2025)
    assert village(layers, "33.75.01.1008")["status_data"] == "reported"  # a current unit, whole


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "nama;pelaku_usaha;pekerja\nKaumann;1;2\n",
            r"row 2, column WADMKD: 'Kaumann' is no desa/kelurahan .* did you mean 'Kauman'",
        ),
        (
            "nama;pelaku_usaha;pekerja\nKauman;1;2\n",
            r"row 2, column WADMKD: 'Kauman' matches several units: 33.26.16.2016 .*33.75.02.1004",
        ),
        ("nama;pelaku_usaha;pekerja\nKuripan Lor;1;2\n", r"'Kuripan Lor' may be any of 33.75.04.1006, 33.75.04.1008"),
        (
            "kode;pelaku_usaha;pekerja\n33.75.02.1004;1;2\n33.75.02.1004;3;4\n",
            r"row 3, column KDEPUM: '33.75.02.1004' is the same unit as row 2",
        ),
        ("kode;pelaku_usaha;pekerja\n33.75.02.1004;-1;2\n", r"row 2, column pelaku_usaha: '-1' is negative"),
        ("kode;pelaku_usaha;pekerja\n33.75.02.1004;banyak;2\n", r"'banyak' is not a whole number"),
        ("kode;pelaku_usaha;pekerja\n33.75.02.1004;2,5;2\n", r"'2,5' is not a whole number"),
        ("kode;pelaku_usaha;pekerja\n33.75.02.1004;;20\n", r"column pelaku_usaha: is empty while pekerja is given"),
        ("kode;pelaku_usaha;pekerja\n33.99.01.1001;1;2\n", r"'33.99.01.1001' is not the code of a desa/kelurahan"),
        (
            "kode;nama;pelaku_usaha;pekerja\n33.75.02.1004;Medono;1;2\n",
            r"'Medono' is not the name of 33.75.02.1004 \(Kauman\)",
        ),
        ("nama;jumlah\nKauman;1\n", r"missing from the header row"),
        ("kode;pelaku_usaha;pekerja\n", r"no row holds counts"),
        ("", r"the file has no rows"),
    ],
)
def test_invalid_files_are_rejected_and_change_nothing(mirror, datasets, tmp_path, text, message):
    import_counts(
        write_text(tmp_path / "ok.csv", "kode;pelaku_usaha;pekerja\n33.75.01.1002;1;1\n"),
        2020,
        "earlier import (synthetic test)",
    )
    before = snapshot(datasets)
    with pytest.raises(ImportRejected, match=message) as caught:
        import_counts(write_text(tmp_path / "bad.csv", text), 2021, "bad file (synthetic test)")
    assert "nothing was changed" in str(caught.value)
    assert snapshot(datasets) == before


def test_too_large_or_wrong_kind_of_file(mirror, datasets, tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_FILE_BYTES", 100)
    big = write_text(tmp_path / "big.csv", "kode;pelaku_usaha;pekerja\n" + "33.75.01.1002;1;1\n" * 20)
    with pytest.raises(spreadsheet.SpreadsheetError, match="over the limit"):
        import_counts(big, 2021, "x")
    with pytest.raises(spreadsheet.SpreadsheetError, match="use a .csv or .xlsx file"):
        import_counts(write_text(tmp_path / "counts.ods", "x"), 2021, "x")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(spreadsheet.SpreadsheetError, match="not a readable XLSX"):
        import_counts(broken, 2021, "x")
    assert snapshot(datasets) == {}


@pytest.mark.parametrize(
    "year, source, message",
    [
        (21, "x", "is not a year from 1900 to 2099"),
        (2100, "x", "is not a year from 1900 to 2099"),
        (2021, "  ", "--source.* is required"),
        (2021, "a\nb", "on one line"),
        (2021, "a\rb", "on one line"),
        (2021, "tab\there", "on one line"),
        (2021, "s" * 201, "longer than 200 characters"),
    ],
)
def test_bad_year_or_source(mirror, datasets, tmp_path, year, source, message):
    path = write_text(tmp_path / "ok.csv", "kode;pelaku_usaha;pekerja\n33.75.01.1002;1;1\n")
    with pytest.raises(ImportRejected, match=message):
        import_counts(path, year, source)
    assert snapshot(datasets) == {}


def test_a_version_is_replaced_only_on_request(mirror, datasets, tmp_path):
    path = write_text(tmp_path / "a.csv", "kode;pelaku_usaha;pekerja\n33.75.01.1002;1;1\n")
    first = import_counts(path, 2022, "Bappeda (synthetic test)")
    before = snapshot(datasets)
    with pytest.raises(OutputExistsError, match="use --replace"):
        import_counts(
            write_text(tmp_path / "b.csv", "kode;pelaku_usaha;pekerja\n33.75.01.1002;9;9\n"),
            2022,
            "Bappeda (synthetic test)",
        )
    assert snapshot(datasets) == before
    import_counts(tmp_path / "b.csv", 2022, "Bappeda (synthetic test)", replace=True)
    assert village(build_layers("kota", year=2022), "33.75.01.1002")["pekerja"] == 9
    assert (datasets / f"{first.key}.csv").exists() and len(
        list(datasets.glob("counts_*.csv"))
    ) == 1  # replaced, not added
    import_counts(path, 2022, "another source (synthetic test)")
    with pytest.raises(Exception, match="choose one with --source"):
        build_layers("kota", year=2022)


def test_parse_count():
    parse = spreadsheet.parse_count
    assert [parse(v) for v in (1468, 1468.0, "1468", "1.468", " 1 468 ", "1.468,00", "1.234.567", "", None)] == [
        1468,
        1468,
        1468,
        1468,
        1468,
        1468,
        1234567,
        None,
        None,
    ]
    for bad in ("1.5", "1,468", -3, 2.5, "x", True):
        with pytest.raises(ValueError):
            parse(bad)
    # hostile or silently wrong before: each refused with its reason
    for bad, reason in (
        ("0.001", "not a whole number"),
        (float("nan"), "not a finite number"),
        (float("inf"), "not a finite number"),
        (1e30, "over 10,000,000"),
        ("99999999999999999999", "not a whole number"),
        ("12.345.678", "over 10,000,000"),
        (2**63 - 1, "over 10,000,000"),
    ):
        with pytest.raises(ValueError, match=reason):
            parse(bad)


def test_datasets_dir_follows_the_environment(datasets):
    assert datasets_dir() == datasets and os.environ["ATLAS_DATASETS_DIR"] == str(datasets)


def test_an_exported_xlsx_edited_by_hand_imports(mirror, datasets, tmp_path, layers_all):
    from atlas.io.export import write_product
    from atlas.io.products import counts_product

    path = write_product(counts_product(layers_all), "desa", "xlsx", tmp_path / "desa.xlsx")
    book = load_workbook(path)
    sheet = book["data"]
    header = [cell.value for cell in sheet[1]]
    code, producers, workers = (header.index(c) + 1 for c in ("KDEPUM", "pelaku_usaha", "pekerja"))
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, code).value == "33.75.02.1004":  # labelled synthetic update of Kauman
            sheet.cell(row, producers, 35)
            sheet.cell(row, workers, "1.002")
    book.save(path)
    result = import_counts(path, 2026, "edited export (synthetic test)")
    assert result.units == 11 and result.workers == 6224 - 434 + 1002
    assert village(build_layers("kota", year=2026), "33.75.02.1004")["pekerja"] == 1002


def test_bytes_neither_utf8_nor_cp1252_are_a_clear_error(tmp_path):
    # 0x81 is undefined in Windows-1252 and not valid UTF-8 on its own (hostile, written here)
    path = tmp_path / "rusak.csv"
    path.write_bytes(b"KDEPUM,pelaku_usaha,pekerja\n33.75.02.1004,\x81,1\n")
    with pytest.raises(spreadsheet.SpreadsheetError, match="byte 0x81 at position 42"):
        spreadsheet.read_rows(path)


def test_utf16_csv_with_bom_is_read(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("KDEPUM;pelaku_usaha;pekerja\n33.75.02.1004;30;434\n".encode("utf-16"))
    rows = spreadsheet.read_rows(path)
    assert rows[1][1] == ["33.75.02.1004", "30", "434"]
