"""GeoJSON export read back with GDAL (pyogrio and ogrinfo): RFC 7946, fields, atomic writes."""

import json
import re
import shutil
import subprocess

import pyogrio
import pytest
import shapely

from atlas.errors import ExportError, OutputExistsError
from atlas.io import export
from atlas.io.products import counts_product


@pytest.fixture(scope="module")
def desa_geojson(layers_all, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "desa.geojson"
    export.write_product(counts_product(layers_all), "desa", "geojson", path)
    return path


def test_read_back_with_pyogrio(desa_geojson):
    frame = pyogrio.read_dataframe(desa_geojson)
    assert len(frame) == 312
    assert frame.crs.to_epsg() == 4326
    for field in (
        "KDEPUM",
        "WADMKD",
        "WADMKC",
        "WADMKK",
        "WADMPR",
        "pelaku_usaha",
        "pekerja",
        "pekerja_per_pelaku",
        "luas_km2",
        "tahun",
        "sumber",
        "status_data",
    ):
        assert field in frame.columns
    kauman = frame.set_index("KDEPUM").loc["33.75.02.1004"]
    assert (kauman["WADMKD"], kauman["pelaku_usaha"], kauman["pekerja"]) == ("Kauman", 30, 434)
    kota = frame[frame["WADMKK"] == "Kota Pekalongan"]
    assert (kota["pelaku_usaha"].sum(), kota["pekerja"].sum()) == (674, 6224)
    kab = frame[frame["WADMKK"] == "Kabupaten Pekalongan"]
    assert kab["pelaku_usaha"].isna().all() and (kab["status_data"] == "no data").all()


def test_rfc7946_geometry(desa_geojson):
    data = json.loads(desa_geojson.read_text(encoding="utf-8"))
    assert "crs" not in data  # RFC 7946 has no crs member: WGS 84 lon/lat is implied
    numbers = re.findall(r"-?\d+\.(\d+)", json.dumps([f["geometry"] for f in data["features"]]))
    assert max(len(decimals) for decimals in numbers) <= 6
    for feature in data["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        polygons = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
        for polygon in polygons:
            assert polygon.exterior.is_ccw
            assert all(not ring.is_ccw for ring in polygon.interiors)
        lon, lat = (
            feature["geometry"]["coordinates"][0][0]
            if geom.geom_type == "Polygon"
            else feature["geometry"]["coordinates"][0][0][0]
        )
        assert 109 < lon < 110 and -8 < lat < -6


def test_ogrinfo_validates_the_file(desa_geojson):
    ogrinfo = shutil.which("ogrinfo")
    assert ogrinfo, "ogrinfo (Debian gdal-bin) is installed by make test"
    out = subprocess.run([ogrinfo, "-so", "-al", str(desa_geojson)], capture_output=True, text=True, check=True).stdout
    assert "Feature Count: 312" in out
    assert "pelaku_usaha: Integer" in out and "WADMKD: String" in out


@pytest.mark.parametrize("level, count, code_field", [("kecamatan", 23, "KDCPUM"), ("kabkota", 2, "KDPKAB")])
def test_aggregate_levels(layers_all, tmp_path, level, count, code_field):
    path = export.write_product(counts_product(layers_all), level, "geojson", tmp_path / f"{level}.geojson")
    frame = pyogrio.read_dataframe(path)
    assert len(frame) == count and frame[code_field].is_unique
    assert frame["pelaku_usaha"].sum() == 674


def test_kabkota_export_carries_published_totals(layers_all, tmp_path):
    path = export.write_product(counts_product(layers_all), "kabkota", "geojson", tmp_path / "kab.geojson")
    frame = pyogrio.read_dataframe(path).set_index("KDPKAB")
    assert frame.loc["33.75", "pekerja_astuti2016"] == 9944
    assert frame.loc["33.26", "ikm_disperindag2019"] == 645


def test_existing_file_is_kept_without_force(layers_all, tmp_path):
    path = tmp_path / "desa.geojson"
    path.write_text("earlier export", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="use --force"):
        export.write_product(counts_product(layers_all), "desa", "geojson", path)
    assert path.read_text(encoding="utf-8") == "earlier export"
    export.write_product(counts_product(layers_all), "desa", "geojson", path, force=True)
    assert len(pyogrio.read_dataframe(path)) == 312


def test_interrupted_write_leaves_no_partial_file(layers_all, tmp_path, monkeypatch):
    path = tmp_path / "desa.geojson"
    path.write_text("earlier export", encoding="utf-8")

    def crash(frame, tmp, **kwargs):
        tmp.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(export.pyogrio, "write_dataframe", crash)
    with pytest.raises(OSError, match="disk full"):
        export.write_product(counts_product(layers_all), "desa", "geojson", path, force=True)
    assert path.read_text(encoding="utf-8") == "earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["desa.geojson"]


@pytest.mark.parametrize(
    "level, fmt, message", [("rt", "geojson", "unknown level 'rt'"), ("desa", "kml", "unknown format 'kml'")]
)
def test_bad_arguments(layers_all, tmp_path, level, fmt, message):
    with pytest.raises(ExportError, match=message):
        export.write_product(counts_product(layers_all), level, fmt, tmp_path / "x")
