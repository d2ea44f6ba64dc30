"""Counts templates, the import CLI, and the change between two dataset versions."""

import pandas as pd
import pytest
from openpyxl import load_workbook

from atlas.analysis.change import change_layer
from atlas.analysis.layers import build_layers
from atlas.cli import main
from atlas.errors import OptionError, OutputExistsError
from atlas.intake.template import HEADERS, write_template
from tests.conftest import write_text


@pytest.mark.parametrize("region, rows", [("kota", 27), ("kabupaten", 285), ("all", 312)])
def test_csv_template_lists_every_unit(mirror, tmp_path, region, rows):
    path = write_template(region, tmp_path / "counts.csv")
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert len(table) == rows and list(table.columns) == list(HEADERS.values())
    assert table[HEADERS["pelaku_usaha"]].isna().all()


def test_xlsx_template_has_instructions_and_refuses_overwrite(mirror, tmp_path):
    path = write_template("kota", tmp_path / "counts.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["isian", "petunjuk"]
    assert book["isian"]["A1"].value == HEADERS["KDEPUM"] and book["isian"].max_row == 28
    with pytest.raises(OutputExistsError):
        write_template("kota", path)
    with pytest.raises(OptionError, match=".xlsx or .csv"):
        write_template("kota", tmp_path / "counts.ods")


def test_cli_import_and_datasets(mirror, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    path = write_text(tmp_path / "c.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;40;500\n")
    assert main(["import", str(path), "--year", "2023", "--source", "Bappeda (synthetic test)"]) == 0
    assert "imported 1 rows" in capsys.readouterr().out
    assert main(["import", str(path), "--year", "2023", "--source", "Bappeda (synthetic test)"]) == 2
    assert "use --replace" in capsys.readouterr().err
    bad = write_text(tmp_path / "bad.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;x;500\n")
    assert main(["import", str(bad), "--year", "2024", "--source", "s"]) == 1  # data, not usage
    assert "row 2, column pelaku_usaha: 'x'" in capsys.readouterr().err
    assert main(["datasets"]) == 0
    listing = capsys.readouterr().out
    assert "2017\tPEL Batik" in listing and "2023\tBappeda (synthetic test)" in listing
    out = tmp_path / "k.geojson"
    assert main(["export", "--region", "kota", "--year", "2017", "--out", str(out)]) == 0
    assert "2017: PEL Batik" in capsys.readouterr().out


def test_change_between_two_versions(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    path = write_text(tmp_path / "c.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;40;500\n33.75.03.1003;5;9\n")
    main(["import", str(path), "--year", "2023", "--source", "Bappeda (synthetic test)"])
    before, after = build_layers("kota", year=2017), build_layers("kota", year=2023)
    change = change_layer(before, after, "desa").set_index("KDEPUM")
    kauman = change.loc["33.75.02.1004"]
    assert kauman["selisih_pekerja"] == 500 - 434 and kauman["selisih_pelaku_usaha"] == 40 - 30
    assert kauman["persen_pekerja"] == pytest.approx(100 * (500 - 434) / 434)
    assert (kauman["pekerja_awal"], kauman["pekerja_akhir"]) == (434, 500)
    assert (kauman["tahun_awal"], kauman["tahun_akhir"]) == (2017, 2023)
    # 2017 counts 1 of Kauman's 4 pre-2015 kelurahan; the 2023 row is the whole unit: flagged
    assert (kauman["status_awal"], kauman["status_akhir"], kauman["status_banding"]) == (
        "partial",
        "reported",
        "partial",
    )
    assert pd.isna(change.loc["33.75.03.1003", "selisih_pekerja"])  # no 2017 value: no change to show
    assert change.loc["33.75.03.1003", "status_banding"] == "missing"
    assert "pekerja" not in change.columns  # no column holds a level under a change's name
    kec = change_layer(before, after, "kecamatan").set_index("KDCPUM")
    assert kec.loc["33.75.02", "selisih_pelaku_usaha"] == 40 - 30


def test_template_bytes_are_the_xlsx_template(mirror):
    import io

    from openpyxl import load_workbook

    from atlas.intake.template import template_bytes

    book = load_workbook(io.BytesIO(template_bytes("kota")), read_only=True)
    rows = list(book["isian"].iter_rows(values_only=True))
    assert len(rows) == 1 + 27 and rows[0][0] == "Kode desa/kelurahan (KDEPUM)"
