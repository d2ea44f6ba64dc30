"""Kecamatan and kab/kota polygons are the union of their villages: no overlaps, exact nesting,
for Pekalongan and for every kab/kota of Jawa Tengah. Checked with shapely's own overlay
operations (union_all, intersection, difference), not the coverage functions the atlas uses."""

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from atlas.cli import main
from atlas.data import boundaries as bnd

AREA_CRS = "EPSG:32749"
TOLERANCE_M2 = 1.0


def jawa_tengah_codes() -> list[str]:
    return [path.rsplit("_", 1)[1].removesuffix(".sql") for path in bnd.province_village_files("33")]


@pytest.fixture(scope="module", params=["pekalongan", "jawa_tengah"])
def levels(request, mirror):
    codes = ["33.75", "33.26"] if request.param == "pekalongan" else jawa_tengah_codes()
    loaded = bnd.load_boundaries(codes)
    return request.param, {name: loaded.level(name).to_crs(AREA_CRS) for name in ("desa", "kecamatan", "kabkota")}


def overlap_areas(layer: gpd.GeoDataFrame) -> np.ndarray:
    geoms = layer.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    return shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))


def test_unit_counts(levels):
    name, layers = levels
    expected = (4 + 19, 2) if name == "pekalongan" else (576, 35)
    assert (len(layers["kecamatan"]), len(layers["kabkota"])) == expected


@pytest.mark.parametrize("level", ["desa", "kecamatan", "kabkota"])
def test_no_two_units_overlap(levels, level):
    _, layers = levels
    assert overlap_areas(layers[level]).max(initial=0) < TOLERANCE_M2


@pytest.mark.parametrize("level, key", [("kecamatan", "KDCPUM"), ("kabkota", "KDPKAB")])
def test_each_unit_is_the_union_of_its_villages_and_holds_them(levels, level, key):
    _, layers = levels
    villages = layers["desa"]
    units = layers[level].set_index(key).geometry
    for code, group in villages.groupby(key):
        union = shapely.union_all(group.geometry.values)
        assert shapely.symmetric_difference(units[code], union).area < TOLERANCE_M2, code
        outside = shapely.area(shapely.difference(group.geometry.values, units[code]))
        assert outside.max() < TOLERANCE_M2, code


def test_exported_kecamatan_geojson_has_no_overlaps(mirror, tmp_path):
    out = tmp_path / "kecamatan.geojson"
    assert main(["export", "--level", "kecamatan", "--region", "all", "--out", str(out)]) == 0
    exported = pyogrio.read_dataframe(out).to_crs(AREA_CRS)
    assert len(exported) == 23
    # 6 decimals of a degree move a vertex by up to ~0.1 m: tiny slivers at most
    assert overlap_areas(exported).sum() < 50 * TOLERANCE_M2
