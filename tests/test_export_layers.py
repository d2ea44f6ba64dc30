"""Every layer the app shows exports from the command line (counts, margin, change), in every
format, with provenance; CSV in both styles round-trips through the importer; GDAL reads every
file without a single warning."""

import csv
import shutil
import subprocess
import zipfile

import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook

from atlas.analysis.layers import build_layers
from atlas.cli import main
from atlas.intake.importer import import_counts
from atlas.io import export
from atlas.io.products import counts_product
from tests.conftest import write_text

FORMATS = ("geojson", "gpkg", "shp", "csv", "xlsx")


def ogrinfo_warnings(path) -> str:
    """What Debian's ogrinfo prints on stderr (warnings) when it opens every layer of ``path``."""
    tool = shutil.which("ogrinfo")
    assert tool, "ogrinfo (Debian gdal-bin) is installed by make test"
    target = f"/vsizip/{path}" if str(path).endswith(".zip") else str(path)
    done = subprocess.run([tool, "-so", "-al", target], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stderr.strip()


@pytest.fixture
def two_years(mirror, tmp_path, monkeypatch):
    """A 2023 version (labelled synthetic) beside Tabel 1: Kauman counted whole (2017 counts only
    one of its four pre-2015 kelurahan: a partial-vs-full comparison), Kergon absent."""
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    counts = write_text(tmp_path / "c2023.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;40;500\n33.75.03.1003;5;9\n")
    import_counts(counts, 2023, "Survei 2023 (synthetic test)")
    return tmp_path


@pytest.mark.parametrize("fmt", FORMATS)
def test_change_layer_exports_with_both_years_and_the_partial_flag(two_years, fmt):
    out = two_years / f"perubahan{export.SUFFIXES[fmt]}"
    argv = ["export", "--layer", "change", "--from", "2017", "--to", "2023", "--region", "kota", "--format", fmt]
    assert main([*argv, "--out", str(out)]) == 0
    assert ogrinfo_warnings(out) == ""
    if fmt in ("csv", "xlsx"):
        frame = pd.read_csv(out, dtype={"KDEPUM": str}) if fmt == "csv" else pd.read_excel(out, sheet_name="data")
    else:
        source = f"/vsizip/{out}" if fmt == "shp" else out
        frame = pyogrio.read_dataframe(source, layer="desa" if fmt == "gpkg" else None)
    kauman = frame.set_index("KDEPUM").loc["33.75.02.1004"]
    named = {"shp": ("d_pekerja", "pekerja_0", "status_cmp")}.get(
        fmt, ("selisih_pekerja", "pekerja_awal", "status_banding")
    )
    # independently: 2017 Tabel 1 says Kauman 434 workers; the synthetic 2023 file says 500
    assert (kauman[named[0]], kauman[named[1]], kauman[named[2]]) == (500 - 434, 434, "partial")


def test_change_metadata_names_both_versions(two_years):
    out = two_years / "perubahan.gpkg"
    assert (
        main(
            ["export", "--layer", "change", "--from", "2017", "--region", "kota", "--format", "gpkg", "--out", str(out)]
        )
        == 0
    )
    meta = dict(pyogrio.read_dataframe(out, layer="metadata", read_geometry=False).values)
    assert meta["perubahan"].startswith("2017: PEL Batik") and "2023: Survei 2023" in meta["perubahan"]
    assert set(dict(pyogrio.list_layers(out))) == {"desa", "kecamatan", "kabkota", "metadata"}


def test_change_needs_two_different_years(two_years, capsys):
    assert main(["export", "--layer", "change", "--region", "kota", "--out", str(two_years / "x.geojson")]) == 2
    assert "needs --from YEAR" in capsys.readouterr().err
    assert (
        main(
            [
                "export",
                "--layer",
                "change",
                "--from",
                "2023",
                "--to",
                "2023",
                "--region",
                "kota",
                "--out",
                str(two_years / "x.geojson"),
            ]
        )
        == 2
    )
    assert "same dataset" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", FORMATS)
def test_margin_layer_exports_with_the_provenance_of_every_input(mirror, tmp_path, fmt):
    out = tmp_path / f"margin{export.SUFFIXES[fmt]}"
    assert (
        main(
            [
                "export",
                "--layer",
                "margin",
                "--region",
                "kota",
                "--umk-year",
                "2019",
                "--format",
                fmt,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert ogrinfo_warnings(out) == ""
    if fmt == "gpkg":
        meta = dict(pyogrio.read_dataframe(out, layer="metadata", read_geometry=False).values)
        assert meta["tahun_umk"] == "2019" and "SCENARIO" in meta["pemilik.harga_keluar"]
        assert "Tribun Jateng" in meta["buruh.harga_keluar"]
        desa = pyogrio.read_dataframe(out, layer="desa").set_index("KDEPUM")
        # hand-worked: Kauman has 434 workers, a worker earns 100,000 x 12 a month (geodata/margin_parameters.csv)
        assert desa.loc["33.75.02.1004", "tagihan_upah"] == 434 * 100_000 * 12
        assert "scenario" in desa.loc["33.75.02.1004", "asal_margin_pemilik"]


def test_margin_with_a_parameter_file(mirror, tmp_path):
    from atlas.data.indicators import config

    parameters = (config.GEODATA_DIR / "margin_parameters.csv").read_text(encoding="utf-8")
    changed = parameters.replace("buruh,unit_per_bulan,12,", "buruh,unit_per_bulan,10,")
    path = write_text(tmp_path / "parameter_survei.csv", changed)
    out = tmp_path / "margin.geojson"
    assert main(["export", "--layer", "margin", "--region", "kota", "--parameters", str(path), "--out", str(out)]) == 0
    kauman = pyogrio.read_dataframe(out).set_index("KDEPUM").loc["33.75.02.1004"]
    assert kauman["tagihan_upah"] == 434 * 100_000 * 10


@pytest.mark.parametrize("style, separator, decimal", [("id", ";", ","), ("intl", ",", ".")])
def test_csv_styles_and_their_round_trip_through_the_importer(mirror, tmp_path, monkeypatch, style, separator, decimal):
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    out = tmp_path / f"desa_{style}.csv"
    assert main(["export", "--region", "kota", "--csv-style", style, "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the names right
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=separator))
    header, kauman = rows[0], next(r for r in rows if r[0] == "33.75.02.1004")
    ratio = kauman[header.index("pekerja_per_pelaku")]
    assert ratio == f"{434 / 30:.4f}".replace(".", decimal)  # 14.4667, written the reader's way
    result = import_counts(out, 2030, f"round trip {style} (synthetic test)", region="kota")
    imported = build_layers("kota", year=2030).desa.set_index("KDEPUM")
    original = build_layers("kota", year=2017).desa.set_index("KDEPUM")
    assert result.units == 11
    assert imported["pekerja"].equals(original["pekerja"]) and imported["pelaku_usaha"].equals(original["pelaku_usaha"])


def test_every_counts_export_opens_in_gdal_without_warnings(layers_all, tmp_path):
    for fmt in FORMATS:
        out = export.write_product(counts_product(layers_all), "kecamatan", fmt, tmp_path / f"k{export.SUFFIXES[fmt]}")
        assert ogrinfo_warnings(out) == "", fmt
    with zipfile.ZipFile(tmp_path / "k.zip") as archive:
        assert "atlas_batik_kecamatan.shp" in archive.namelist()


def test_download_names_say_what_they_hold(layers_all):
    product = counts_product(layers_all)
    assert product.file_name("desa", "gpkg", "all") == "atlas_batik_semua-tingkat_all.gpkg"
    assert product.file_name("kecamatan", "csv", "kota") == "atlas_batik_kecamatan_kota.csv"


def test_xlsx_export_is_readable(layers_all, tmp_path):
    out = export.write_product(counts_product(layers_all), "desa", "xlsx", tmp_path / "d.xlsx")
    assert load_workbook(out, read_only=True).sheetnames == ["data", "metadata"]
