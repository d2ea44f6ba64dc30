"""Every export format read back with GDAL (pyogrio and Debian's ogrinfo): CRS, feature
counts, field names and types, provenance, non-ASCII text."""

import shutil
import subprocess
import zipfile

import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook

from atlas import fields
from atlas.data.indicators import load_totals
from atlas.errors import OutputExistsError
from atlas.io import export
from atlas.io.products import counts_product


def ogrinfo(path: str) -> str:
    tool = shutil.which("ogrinfo")
    assert tool, "ogrinfo (Debian gdal-bin) is installed by make test"
    return subprocess.run([tool, "-so", "-al", path], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def exported(layers_all, tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    return {
        fmt: export.write_product(counts_product(layers_all), "desa", fmt, folder / f"desa{export.SUFFIXES[fmt]}")
        for fmt in export.FORMATS
    }


def test_geopackage_holds_every_level_and_metadata(exported):
    path = exported["gpkg"]
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"desa", "kecamatan", "kabkota", "metadata"}
    assert layers["metadata"] is None  # an attribute table
    for name, count in (("desa", 312), ("kecamatan", 23), ("kabkota", 2)):
        frame = pyogrio.read_dataframe(path, layer=name)
        assert len(frame) == count and frame.crs.to_epsg() == 4326
    desa = pyogrio.read_dataframe(path, layer="desa").set_index("KDEPUM")
    assert (desa.loc["33.75.02.1004", "pelaku_usaha"], desa.loc["33.75.02.1004", "pekerja"]) == (30, 434)
    meta = dict(pyogrio.read_dataframe(path, layer="metadata", read_geometry=False).values)
    assert meta["tahun_data"] == "2017" and "Tabel 1" in meta["sumber_data"]
    assert "wilayah_boundaries" in meta["batas_wilayah"] and meta["diekspor"]
    info = ogrinfo(str(path))
    assert "Layer name: desa" in info and "pelaku_usaha: Integer" in info


def test_shapefile_zip(exported, tmp_path):
    with zipfile.ZipFile(exported["shp"]) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path)
    stem = "atlas_batik_desa"
    assert {
        f"{stem}.shp",
        f"{stem}.shx",
        f"{stem}.dbf",
        f"{stem}.prj",
        f"{stem}.cpg",
        "kolom.csv",
        "metadata.csv",
    } <= names
    assert (tmp_path / f"{stem}.cpg").read_text().strip().upper() in ("UTF-8", "UTF8")
    frame = pyogrio.read_dataframe(tmp_path / f"{stem}.shp")
    assert len(frame) == 312 and frame.crs.to_epsg() == 4326
    assert all(len(c) <= 10 for c in frame.columns)
    mapping = pd.read_csv(tmp_path / "kolom.csv")
    assert dict(zip(mapping["kolom"], mapping["kolom_shapefile"]))["pelaku_usaha"] == "pelaku"
    kauman = frame.set_index("KDEPUM").loc["33.75.02.1004"]
    assert (kauman["pelaku"], kauman["pekerja"], kauman["status"]) == (30, 434, "partial")
    info = ogrinfo(str(tmp_path / f"{stem}.shp"))
    assert "Feature Count: 312" in info and "pkj_per_pl: Real" in info


def test_csv_and_xlsx_attribute_tables(exported):
    table = pd.read_csv(exported["csv"], encoding="utf-8-sig", dtype={"KDEPUM": str})
    assert len(table) == 312 and table["sumber"].notna().sum() == 11
    assert table.set_index("KDEPUM").loc["33.75.01.1008", "pekerja"] == 1468
    book = load_workbook(exported["xlsx"], read_only=True)
    assert book.sheetnames == ["data", "metadata"]
    rows = list(book["data"].iter_rows(values_only=True))
    assert len(rows) == 313 and rows[0][0] == "KDEPUM"
    meta = {k: v for k, v in book["metadata"].iter_rows(min_row=2, values_only=True)}
    assert meta["tahun_data"] == "2017"
    info = ogrinfo(str(exported["xlsx"]))
    assert "Feature Count: 312" in info


def test_geojson_carries_provenance(exported):
    text = exported["geojson"].read_text(encoding="utf-8")
    assert '"description"' in text and "sumber_data: PEL Batik" in text


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_no_overwrite_and_no_partial_file(layers_all, tmp_path, monkeypatch, fmt):
    path = tmp_path / f"out{export.SUFFIXES[fmt]}"
    path.write_bytes(b"earlier export")
    with pytest.raises(OutputExistsError):
        export.write_product(counts_product(layers_all), "desa", fmt, path)

    def interrupted(frames, level, meta, out, **options):
        out.write_bytes(b"half a file")
        raise KeyboardInterrupt

    monkeypatch.setitem(export.WRITERS, fmt, interrupted)
    with pytest.raises(KeyboardInterrupt):
        export.write_product(counts_product(layers_all), "desa", fmt, path, force=True)
    assert path.read_bytes() == b"earlier export"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_shapefile_names_are_unique_and_short():
    layer_fields = [f.name for f in fields.FIELDS if f.levels]
    totals = list(load_totals()["kolom"])
    names = export.shapefile_names(layer_fields + totals)
    assert len(set(names.values())) == len(names) == len(layer_fields) + len(totals)
    assert max(map(len, names.values())) <= 10
    with pytest.raises(export.ExportError, match="no Shapefile field name"):
        export.shapefile_names(["a_very_long_new_field"])
