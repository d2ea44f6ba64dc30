"""The layers published in PostGIS for the office's GIS, read back with GDAL's own PostgreSQL
driver (``ogrinfo`` and ``ogr2ogr PG:``) and compared with ``atlas export`` of the same layer.
The imported counts are synthetic (made-up counts on real boundary codes)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pyogrio
import pytest
import shapely
from psycopg.conninfo import conninfo_to_dict

from atlas.cli import main
from tests.conftest import write_text

SOURCE = "Survei (synthetic test)"


def gdal_connection(url: str) -> str:
    parts = conninfo_to_dict(url)
    return f"PG:host={parts['host']} port={parts['port']} dbname={parts['dbname']} user={parts['user']}"


@pytest.fixture
def published(mirror, tmp_path, monkeypatch, database_url, capsys):
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "unused-folder"))
    counts = write_text(tmp_path / "h.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;41;501\n33.75.01.1002;7;90\n")
    assert main(["import", str(counts), "--year", "2024", "--source", SOURCE]) == 0
    assert "published" in capsys.readouterr().out  # automatically, after the change
    assert not (tmp_path / "unused-folder").exists()  # nothing went to the folder store
    return gdal_connection(database_url)


def read_pg(connection: str, table: str, tmp_path):
    """A published table, copied out by GDAL's PostgreSQL driver (ogr2ogr) and read back."""
    out = tmp_path / f"{table}.gpkg"
    subprocess.run(
        [shutil.which("ogr2ogr") or "ogr2ogr", "-f", "GPKG", str(out), connection, f"atlas_lapisan.{table}"],
        check=True,
        capture_output=True,
    )
    return pyogrio.read_dataframe(out)


def test_ogrinfo_lists_every_layer_with_geometry_type_srid_and_index(published):
    listing = subprocess.run(["ogrinfo", "-ro", "-so", published], capture_output=True, text=True, check=True).stdout
    layers = set(re.findall(r"atlas_lapisan\.(\w+) \(Multi Polygon\)", listing))
    for level in ("desa", "kecamatan", "kabkota"):
        assert {f"{level}_terbaru", f"{level}_tabel1_2017", f"{level}_margin", f"{level}_perubahan"} <= layers
        assert any(name.startswith(f"{level}_counts_2024_") for name in layers)
    summary = subprocess.run(
        ["ogrinfo", "-ro", "-so", published, "atlas_lapisan.desa_terbaru"], capture_output=True, text=True, check=True
    ).stdout
    assert "Geometry: Multi Polygon" in summary and "Feature Count: 312" in summary
    assert 'ID["EPSG",4326]' in summary and "FID Column = fid" in summary


@pytest.mark.parametrize("level", ["desa", "kecamatan", "kabkota"])
def test_each_published_version_equals_atlas_export(published, level, tmp_path):
    exported = tmp_path / f"{level}.gpkg"
    assert main(["export", "--level", level, "--year", "2024", "--out", str(exported)]) == 0
    expected = pyogrio.read_dataframe(exported, layer=level)
    table = next(
        name
        for name in subprocess.run(["ogrinfo", "-ro", "-so", published], capture_output=True, text=True).stdout.split()
        if name.startswith(f"atlas_lapisan.{level}_counts_2024_")
    ).removeprefix("atlas_lapisan.")
    got = read_pg(published, table, tmp_path)
    assert list(got.columns) == list(expected.columns)
    key = {"desa": "KDEPUM", "kecamatan": "KDCPUM", "kabkota": "KDPKAB"}[level]
    got, expected = got.set_index(key).sort_index(), expected.set_index(key).sort_index()
    attributes = [c for c in expected.columns if c != "geometry"]
    assert got[attributes].astype(str).equals(expected[attributes].astype(str))
    # the same rings, vertex for vertex (a polygon is published as a MultiPolygon of one part)
    assert got.geometry.geom_equals(expected.geometry).all()
    assert (shapely.get_coordinates(got.geometry.values) == shapely.get_coordinates(expected.geometry.values)).all()
