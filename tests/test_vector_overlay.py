"""Vector overlays (flood polygons, river lines, sample points) per unit, checked against
independent computations: geopandas.overlay and sjoin, brute-force distances, hand-worked cases.
Every vector file here is written by the test and is synthetic."""

import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from atlas.analysis.layers import build_layers
from atlas.analysis.vector_overlay import vector_statistics
from atlas.analysis.vectors import METRIC_CRS, read_vector
from atlas.cli import main
from atlas.errors import OptionError

UTM = METRIC_CRS


@pytest.fixture(scope="module")
def kota(mirror):
    return build_layers("kota")


def flood_polygons(kota) -> gpd.GeoDataFrame:
    """Two overlapping synthetic flood polygons over the north of Kota (the coast), UTM 49S."""
    desa = kota.desa.to_crs(UTM)
    minx, miny, maxx, maxy = desa.total_bounds
    north = box(minx - 500, maxy - 0.45 * (maxy - miny), 0.6 * minx + 0.4 * maxx, maxy + 500)
    east = Point(0.3 * minx + 0.7 * maxx, maxy - 0.3 * (maxy - miny)).buffer(1500, quad_segs=32)
    return gpd.GeoDataFrame({"kedalaman": ["0-0.5 m", "0.5-1.1 m"]}, geometry=[north, east], crs=UTM)


def expected_shares(units: gpd.GeoDataFrame, flood: gpd.GeoDataFrame) -> pd.Series:
    """Flooded share (%) per unit by geopandas.overlay of the dissolved flood (independent path)."""
    units = units.to_crs(UTM)[["KDEPUM", "geometry"]]
    pieces = gpd.overlay(units, flood.to_crs(UTM).dissolve()[["geometry"]], how="intersection")
    covered = pieces.area.groupby(pieces["KDEPUM"]).sum()
    return (100 * covered.reindex(units["KDEPUM"]).fillna(0) / units.set_index("KDEPUM").area).rename("share")


def test_flooded_share_per_kelurahan_from_a_gpkg_matches_geopandas_overlay(kota, tmp_path, capsys):
    flood = flood_polygons(kota)
    path = tmp_path / "rob.gpkg"
    flood.to_crs("EPSG:4326").to_file(path, layer="rob", driver="GPKG")  # a geographic file
    out = tmp_path / "out.gpkg"
    assert main(["overlay", str(path), "--level", "desa", "--region", "kota", "--out", str(out)]) == 0
    result = pyogrio.read_dataframe(out, layer="desa").set_index("KDEPUM")
    # the reference reads the same file independently (reprojected by geopandas)
    expected = expected_shares(kota.desa, gpd.read_file(path))
    assert np.allclose(result.loc[expected.index, "v_persen_luas"], expected, rtol=0, atol=1e-9)
    assert 0 < (expected > 0).sum() < len(expected)  # some kelurahan flooded, some dry
    meta = dict(pyogrio.read_dataframe(out, layer="metadata", read_geometry=False).values)
    assert meta["vektor"] == "rob.gpkg" and meta["vektor_jenis"] == "polygon"


def test_overlapping_polygons_count_once_and_classes_split_the_share(kota):
    flood = flood_polygons(kota)
    layer = read_vector_frame(flood)
    table = vector_statistics(kota.desa.geometry, layer, classes="kedalaman")
    desa = kota.desa.to_crs(UTM)
    expected = expected_shares(kota.desa, flood).to_numpy()
    assert np.allclose(table["v_persen_luas"], expected, atol=1e-9)
    assert np.allclose(table["v_luas_km2"], expected / 100 * desa.area.to_numpy() / 1e6, atol=1e-12)
    shallow = expected_shares(kota.desa, flood.iloc[[0]]).to_numpy()
    deep = expected_shares(kota.desa, flood.iloc[[1]]).to_numpy()
    assert np.allclose(table["v_kelas_0_0_5_m"], shallow, atol=1e-9)
    assert np.allclose(table["v_kelas_0_5_1_1_m"], deep, atol=1e-9)
    assert (table["v_kelas_0_0_5_m"] + table["v_kelas_0_5_1_1_m"] >= table["v_persen_luas"] - 1e-9).all()


def read_vector_frame(frame: gpd.GeoDataFrame, tmp_dir=None):
    """A VectorLayer from a frame, through a real file (FlatGeobuf) and the safe reader."""
    import tempfile
    from pathlib import Path

    folder = Path(tmp_dir or tempfile.mkdtemp())
    path = folder / "layer.fgb"
    frame.to_file(path, driver="FlatGeobuf")
    return read_vector(path)


def squares() -> gpd.GeoSeries:
    """Two synthetic 1 km squares in UTM 49S near Pekalongan, 2 km apart (hand-worked cases)."""
    x, y = 380_000, 9_240_000
    return gpd.GeoSeries([box(x, y, x + 1000, y + 1000), box(x + 3000, y, x + 4000, y + 1000)], crs=UTM)


def test_line_lengths_and_distances_by_hand(tmp_path):
    x, y = 380_000, 9_240_000
    river = LineString([(x - 500, y + 500), (x + 1500, y + 500)])  # crosses square 1: 1.0 km inside
    branch = LineString([(x + 200, y + 100), (x + 200, y + 400)])  # 0.3 km inside square 1
    duplicate = LineString([(x + 200, y + 100), (x + 200, y + 400)])  # drawn twice: counted once
    layer = read_vector_frame(gpd.GeoDataFrame(geometry=[river, branch, duplicate], crs=UTM), tmp_path)
    table = vector_statistics(squares(), layer)
    assert table["v_panjang_km"].tolist() == pytest.approx([1.3, 0.0], abs=1e-9)
    # square 2 starts at x + 3000: the river ends at x + 1500 -> 1.5 km away
    assert table["v_jarak_garis_km"].tolist() == pytest.approx([0.0, 1.5], abs=1e-9)


def test_points_count_mean_and_distance_against_a_spatial_join(kota, tmp_path):
    desa = kota.desa.to_crs(UTM)
    rng = np.random.default_rng(7)  # synthetic samples
    minx, miny, maxx, maxy = desa.total_bounds
    xy = rng.uniform((minx, miny), (maxx, maxy), size=(400, 2))
    samples = gpd.GeoDataFrame(
        {"timbal_mg_l": rng.uniform(0, 0.1, 400).round(4)}, geometry=gpd.points_from_xy(*xy.T), crs=UTM
    )
    samples.loc[5, "timbal_mg_l"] = np.nan  # one sample without a reading
    path = tmp_path / "sampel.geojson"
    samples.to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    table = vector_statistics(kota.desa.geometry, read_vector(path), attribute="timbal_mg_l")
    joined = gpd.sjoin(gpd.read_file(path).to_crs(UTM), desa[["KDEPUM", "geometry"]], predicate="within")
    counts = joined.groupby("KDEPUM").size().reindex(desa["KDEPUM"]).fillna(0)
    means = joined.groupby("KDEPUM")["timbal_mg_l"].mean().reindex(desa["KDEPUM"])
    assert table["v_jumlah_titik"].tolist() == counts.astype(int).tolist()
    assert np.allclose(table["v_rerata"], means, equal_nan=True, atol=1e-12)
    points = gpd.read_file(path).to_crs(UTM).geometry
    brute = [min(shapely.distance(unit, p) for p in points) / 1000 for unit in desa.geometry]
    assert np.allclose(table["v_jarak_titik_km"], brute, atol=1e-9)


def test_units_without_points_are_filled_only_when_asked_and_labelled(tmp_path):
    x, y = 380_000, 9_240_000
    samples = gpd.GeoDataFrame(
        {"indeks": [1.0, 3.0]}, geometry=[Point(x + 500, y + 500), Point(x + 900, y + 500)], crs=UTM
    )
    layer = read_vector_frame(samples, tmp_path)
    plain = vector_statistics(squares(), layer, attribute="indeks")
    assert plain["v_nilai"].iloc[0] == 2.0 and np.isnan(plain["v_nilai"].iloc[1])
    assert plain["v_nilai_asal"].tolist() == ["diukur", ""]
    nearest = vector_statistics(squares(), layer, attribute="indeks", fill="nearest")
    assert nearest["v_nilai"].tolist() == [2.0, 3.0] and nearest["v_nilai_asal"].tolist() == [
        "diukur",
        "titik terdekat",
    ]
    idw = vector_statistics(squares(), layer, attribute="indeks", fill="idw")
    # square 2's representative point is its centre (x + 3500, y + 500): distances 3000 and 2600 m
    weights = np.array([1 / 3000**2, 1 / 2600**2])
    assert idw["v_nilai"].iloc[1] == pytest.approx((weights * [1.0, 3.0]).sum() / weights.sum(), rel=1e-12)
    assert idw["v_nilai_asal"].iloc[1] == "interpolasi IDW"


def test_a_utm_and_a_geographic_file_give_the_same_answer(kota, tmp_path):
    flood = flood_polygons(kota)
    flood["geometry"] = flood.segmentize(5)  # dense edges: both CRS draw the same shape to < 1 mm
    utm, geographic = tmp_path / "utm.gpkg", tmp_path / "geo.gpkg"
    flood.to_file(utm)
    flood.to_crs("EPSG:4326").to_file(geographic)
    a = vector_statistics(kota.desa.geometry, read_vector(utm))
    b = vector_statistics(kota.desa.geometry, read_vector(geographic))
    assert np.allclose(a["v_persen_luas"], b["v_persen_luas"], atol=1e-4)


@pytest.mark.parametrize("suffix", ["gpkg", "geojson", "zip", "kml", "fgb", "csv"])
def test_every_supported_format_gives_the_same_counts(kota, tmp_path, suffix):
    desa = kota.desa.to_crs("EPSG:4326")
    points = desa.representative_point()
    frame = gpd.GeoDataFrame({"nilai": np.arange(len(points), dtype=float)}, geometry=points.values, crs="EPSG:4326")
    path = tmp_path / f"titik.{suffix}"
    if suffix == "zip":
        frame.to_file(tmp_path / "titik.shp")
        with zipfile.ZipFile(path, "w") as archive:
            for part in ("shp", "shx", "dbf", "prj"):
                archive.write(tmp_path / f"titik.{part}", f"titik.{part}")
    elif suffix == "csv":
        pd.DataFrame({"lon": points.x, "lat": points.y, "nilai": frame["nilai"]}).to_csv(path, index=False)
    else:
        driver = {"gpkg": "GPKG", "geojson": "GeoJSON", "kml": "KML", "fgb": "FlatGeobuf"}[suffix]
        frame.to_file(path, driver=driver)
    table = vector_statistics(kota.desa.geometry, read_vector(path), attribute="nilai")
    assert table["v_jumlah_titik"].tolist() == [1] * len(desa)
    assert table["v_rerata"].tolist() == frame["nilai"].tolist()


def test_errors_are_clear_and_write_nothing(kota, tmp_path, capsys):
    out = tmp_path / "out.gpkg"

    def refused(path, *extra, message):
        assert main(["overlay", str(path), "--region", "kota", "--out", str(out), *extra]) in (1, 2)
        assert message in capsys.readouterr().err
        assert not out.exists()

    far = gpd.GeoDataFrame({"n": [1.0]}, geometry=[Point(10.0, 50.0)], crs="EPSG:4326")  # Europe
    far.to_file(tmp_path / "jauh.gpkg")
    refused(tmp_path / "jauh.gpkg", message="does not overlap the units")
    flood = flood_polygons(kota)
    flood.to_file(tmp_path / "rob.gpkg")
    pts = gpd.GeoDataFrame({"kode": ["A"]}, geometry=[kota.desa.to_crs(UTM).representative_point().iloc[0]], crs=UTM)
    pts.to_file(tmp_path / "teks.gpkg")
    refused(tmp_path / "teks.gpkg", "--attribute", "kode", message="attribute 'kode' is not numeric")
    refused(tmp_path / "teks.gpkg", "--attribute", "timbal", message="has no attribute 'timbal'")
    refused(tmp_path / "rob.gpkg", "--attribute", "kedalaman", message="apply to point layers only")
    no_crs = tmp_path / "tanpa_crs.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)]), no_crs)
    refused(no_crs, message="has no coordinate reference system")
    (tmp_path / "bukan.geojson").write_text("this is not json", encoding="utf-8")
    refused(tmp_path / "bukan.geojson", message="not a vector file the atlas reads")
    (tmp_path / "rusak.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    refused(tmp_path / "rusak.geojson", message="damaged or unreadable geojson")
    (tmp_path / "nama.kml").write_bytes((tmp_path / "rob.gpkg").read_bytes())
    refused(tmp_path / "nama.kml", message="the content is gpkg, but the name ends in .kml")
    mixed = gpd.GeoDataFrame(geometry=[box(380_000, 9_240_000, 381_000, 9_241_000), Point(380_500, 9_240_500)], crs=UTM)
    mixed.to_file(tmp_path / "campur.gpkg")
    refused(tmp_path / "campur.gpkg", message="mixes point, polygon geometries")
    with zipfile.ZipFile(tmp_path / "jahat.zip", "w") as archive:
        archive.writestr("../../luar.shp", b"x")
    refused(tmp_path / "jahat.zip", message="paths outside the archive")
    with zipfile.ZipFile(tmp_path / "dua.zip", "w") as archive:
        archive.writestr("a.shp", b"x")
        archive.writestr("b.shp", b"x")
    refused(tmp_path / "dua.zip", message="exactly one .shp")
    refused("/vsicurl/http://127.0.0.1:9/x.geojson", message="not a GDAL virtual path or URL")
    with pytest.raises(OptionError, match="classes apply to polygon layers only"):
        vector_statistics(kota.desa.geometry, read_vector(tmp_path / "teks.gpkg"), classes="kode")


def test_invalid_polygons_are_repaired_and_reported(kota, tmp_path):
    x, y = kota.desa.to_crs(UTM).representative_point().iloc[0].coords[0]
    bowtie = shapely.Polygon([(x - 100, y - 100), (x + 100, y + 100), (x + 100, y - 100), (x - 100, y + 100)])
    gpd.GeoDataFrame(geometry=[bowtie], crs=UTM).to_file(tmp_path / "dasi.gpkg")
    layer = read_vector(tmp_path / "dasi.gpkg")
    assert layer.repaired == 1
    table = vector_statistics(kota.desa.geometry, layer)
    assert table["v_luas_km2"].sum() == pytest.approx(2 * 100 * 200 / 2 / 1e6, rel=1e-9)  # two triangles
