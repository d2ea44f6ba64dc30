"""Boundaries parsed from the real pinned files: counts, levels, areas, repairs and the cache."""

import geopandas as gpd
import pytest
import shapely

from atlas.data import boundaries as bnd
from atlas.errors import BoundaryValidationError


@pytest.fixture(scope="module")
def pekalongan(mirror):
    return bnd.load_boundaries(["33.75", "33.26"])


def test_unit_counts(pekalongan):
    desa = pekalongan.desa
    assert (desa["KDPKAB"] == "33.75").sum() == 27
    assert (desa["KDPKAB"] == "33.26").sum() == 285
    assert len(pekalongan.kecamatan) == 4 + 19
    assert sorted(pekalongan.kabkota["KDPKAB"]) == ["33.26", "33.75"]


def test_levels_from_codes(pekalongan):
    desa = pekalongan.desa
    kota = desa[desa["KDPKAB"] == "33.75"]
    kab = desa[desa["KDPKAB"] == "33.26"]
    assert set(kota["tingkat"]) == {"kelurahan"}
    assert (kab["tingkat"] == "kelurahan").sum() == 13
    assert (kab["tingkat"] == "desa").sum() == 272


def test_parents_and_names(pekalongan):
    kauman = pekalongan.desa.set_index("KDEPUM").loc["33.75.02.1004"]
    assert (kauman["WADMKD"], kauman["WADMKC"], kauman["WADMKK"], kauman["WADMPR"]) == (
        "Kauman",
        "Pekalongan Timur",
        "Kota Pekalongan",
        "Jawa Tengah",
    )
    assert kauman["KDCPUM"] == "33.75.02"


def test_geometry_is_valid_lon_lat_and_areas_match_the_known_totals(pekalongan):
    desa = pekalongan.desa
    assert desa.geometry.is_valid.all()
    assert desa.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = desa.total_bounds
    assert 109 < minx < maxx < 110 and -8 < miny < maxy < -6  # lon/lat, not lat/lon
    areas = desa.groupby("KDPKAB")["luas_km2"].sum()
    # independent check: the mirror's README measures about 46.2 km2 and 893 km2
    assert areas["33.75"] == pytest.approx(46.2, abs=0.1)
    assert areas["33.26"] == pytest.approx(893, abs=1)


def test_cached_load_does_not_parse(pekalongan, monkeypatch):
    assert bnd.cache_path("33.75").is_file()

    def fail(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(bnd, "iter_rows", fail)
    again = bnd.load_boundaries(["33.75"])
    assert len(again.desa) == 27
    assert list(again.desa.columns) == list(pekalongan.desa.columns)


def test_other_kabkota_works(mirror):
    semarang = bnd.load_boundaries(["33.74"])
    assert semarang.kabkota["WADMKK"].iloc[0] == "Kota Semarang"
    assert len(semarang.desa) > 100
    assert semarang.desa.geometry.is_valid.all()


def test_unexpected_unit_count_is_an_error(mirror, monkeypatch):
    monkeypatch.setitem(bnd.EXPECTED_UNIT_COUNTS, "33.75", (4, 28))
    with pytest.raises(BoundaryValidationError, match="expected 4 kecamatan and 28 desa/kelurahan, found 4 and 27"):
        bnd.build_boundaries("33.75")


def test_invalid_geometry_is_repaired_and_reported():
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    rows = gpd.GeoDataFrame({"kode": ["33.99.01.2001"], "nama": ["Bowtie"]}, geometry=[bowtie], crs="EPSG:4326")
    repairs = []
    fixed = bnd._repair(rows, repairs)
    assert fixed.geometry.is_valid.all()
    assert fixed.geometry.iloc[0].area == pytest.approx(0.5)
    assert repairs[0][:2] == ("33.99.01.2001", "Bowtie")
    assert "Self-intersection" in repairs[0][2]


@pytest.mark.parametrize("code, kind", [("33.75.02.1004", "kelurahan"), ("33.26.13.2001", "desa")])
def test_village_kind(code, kind):
    assert bnd.village_kind(code) == kind


def test_village_kind_rejects_other_codes():
    with pytest.raises(BoundaryValidationError, match="neither kelurahan"):
        bnd.village_kind("33.75.02.3004")


def test_unknown_level_is_an_error(pekalongan):
    with pytest.raises(ValueError, match="unknown level 'rt'"):
        pekalongan.level("rt")
