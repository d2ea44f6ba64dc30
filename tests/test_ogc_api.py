"""The atlas as an OGC API - Features service (``atlas serve-ogc``: pygeoapi over the atlas's
layers), read with real clients: GDAL's OAPIF driver (ogr2ogr) and OWSLib. Expected values come
from ``atlas export`` of the same layer, read with geopandas. The imported counts are synthetic."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request

import geopandas as gpd
import pyogrio
import pytest
import shapely

from atlas.cli import main
from atlas.data.store import version_key
from tests.conftest import write_text
from tests.ogcserver import running_ogc_server

SOURCE = "Survei (synthetic test)"


@pytest.fixture(scope="module")
def service(mirror, tmp_path_factory):
    """The service over a store holding Tabel 1 and one synthetic 2024 version."""
    folder = tmp_path_factory.mktemp("ogc")
    settings = {"ATLAS_DATASETS_DIR": str(folder / "datasets"), "ATLAS_EDITORS_FILE": str(folder / "editors.json")}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in settings.items():
            patch.setenv(name, value)
        counts = write_text(folder / "h.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;41;501\n33.75.01.1002;7;90\n")
        assert main(["import", str(counts), "--year", "2024", "--source", SOURCE]) == 0
        with running_ogc_server(folder / "ogc.log", **settings) as url:
            yield url, folder, settings


def exported(settings: dict, tmp_path, *arguments: str) -> gpd.GeoDataFrame:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in settings.items():
            patch.setenv(name, value)
        out = tmp_path / "export.geojson"
        assert main(["export", "--out", str(out), "--force", *arguments]) == 0
    return pyogrio.read_dataframe(out)


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_gdal_reads_every_desa_of_a_version_equal_to_atlas_export(service, tmp_path):
    url, _, settings = service
    expected = exported(settings, tmp_path, "--level", "desa", "--year", "2024")
    out = tmp_path / "oapif.gpkg"
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "GPKG",
            str(out),
            f"OAPIF:{url}",
            "desa_versi",
            "-where",
            f"versi = '{version_key(2024, SOURCE)}'",
        ],
        check=True,
        capture_output=True,
    )
    got = pyogrio.read_dataframe(out)
    assert len(got) == len(expected) == 312
    got, expected = got.set_index("KDEPUM").sort_index(), expected.set_index("KDEPUM").sort_index()
    for column in ("pelaku_usaha", "pekerja", "tahun", "sumber", "status_data", "KDCPUM", "KDPKAB"):
        assert got[column].astype(str).equals(expected[column].astype(str)), column
    assert (shapely.get_coordinates(got.geometry.values) == shapely.get_coordinates(expected.geometry.values)).all()


def test_owslib_pages_through_the_latest_layer(service, tmp_path):
    from owslib.ogcapi.features import Features

    url, _, _ = service
    client = Features(url)
    assert {"desa_terbaru", "kecamatan_versi", "kabkota_margin", "desa_perubahan"} <= {
        c["id"] for c in client.collections()["collections"]
    }
    pages = [client.collection_items("desa_terbaru", limit=100, offset=offset) for offset in (0, 100, 200, 300)]
    codes = [f["properties"]["KDEPUM"] for page in pages for f in page["features"]]
    assert len(codes) == len(set(codes)) == 312 and pages[0]["numberMatched"] == 312
    kauman = next(f for page in pages for f in page["features"] if f["id"] == "33.75.02.1004")
    assert (kauman["properties"]["pekerja"], kauman["properties"]["tahun"]) == (501, 2024)  # the latest count
    jenggot = next(f for page in pages for f in page["features"] if f["id"] == "33.75.04.1004")
    assert (jenggot["properties"]["pekerja"], jenggot["properties"]["tahun"]) == (788, 2017)
    queryables = client.collection_queryables("desa_terbaru")["properties"]
    assert {"KDCPUM", "KDPKAB", "tahun", "sumber", "status_data"} <= set(queryables)


def test_bbox_and_a_kecamatan_filter_return_the_subsets_geopandas_finds(service, tmp_path):
    url, _, settings = service
    expected = exported(settings, tmp_path, "--level", "desa", "--year", "2024")
    box = (109.65, -6.92, 109.70, -6.87)
    inside = set(expected[expected.intersects(shapely.box(*box))]["KDEPUM"])
    status, page = get(f"{url}/collections/desa_terbaru/items?f=json&limit=1000&bbox={','.join(map(str, box))}")
    assert status == 200 and {f["id"] for f in page["features"]} == inside and 0 < len(inside) < 312
    kecamatan = "33.75.02"
    status, page = get(f"{url}/collections/desa_terbaru/items?f=json&limit=1000&KDCPUM={kecamatan}")
    assert {f["id"] for f in page["features"]} == set(expected[expected["KDCPUM"] == kecamatan]["KDEPUM"])


def test_a_new_import_shows_without_a_restart(service, tmp_path):
    url, folder, settings = service
    with pytest.MonkeyPatch.context() as patch:
        for name, value in settings.items():
            patch.setenv(name, value)
        counts = write_text(tmp_path / "n.csv", "kode;pelaku_usaha;pekerja\n33.75.04.1004;60;900\n")
        assert main(["import", str(counts), "--year", "2026", "--source", SOURCE]) == 0
    status, feature = get(f"{url}/collections/desa_terbaru/items/33.75.04.1004?f=json")
    assert status == 200 and (feature["properties"]["pekerja"], feature["properties"]["tahun"]) == (900, 2026)
    status, page = get(f"{url}/collections/desa_versi/items?f=json&versi={version_key(2026, SOURCE)}&limit=1")
    assert page["numberMatched"] == 312  # the new version, every desa (one with counts)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("collections/desa_terbaru/items?limit=100000000", 400),
        ("collections/desa_terbaru/items?limit=abc", 400),
        ("collections/desa_terbaru/items?offset=-5", 400),
        ("collections/desa_terbaru/items?bbox=1,2,x,4", 400),
        ("collections/tidak_ada/items", 404),
        ("collections/desa_terbaru/items/99.99.99.9999", 404),
    ],
)
def test_bad_requests_get_ogc_errors_without_a_traceback(service, query, status):
    url, _, _ = service
    got, body = get(f"{url}/{query}{'&' if '?' in query else '?'}f=json")
    assert got == status and body["code"] and body["description"]
    assert "Traceback" not in json.dumps(body) and "/work" not in json.dumps(body) and 'File "' not in json.dumps(body)


def test_nothing_can_be_written_through_the_service(service):
    url, _, _ = service
    for method in ("POST", "PUT", "DELETE"):
        target = f"{url}/collections/desa_terbaru/items" + ("/33.75.02.1004" if method != "POST" else "")
        request = urllib.request.Request(target, data=b'{"type": "Feature"}', method=method)
        request.add_header("Content-Type", "application/geo+json")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code in (400, 403, 405), method
    status, feature = get(f"{url}/collections/desa_terbaru/items/33.75.02.1004?f=json")
    assert feature["properties"]["pekerja"] == 501


def test_the_service_listens_on_this_machine_only_by_default(service):
    url, folder, _ = service
    from atlas import config

    configuration = json.loads(next((config.cache_dir() / "ogc").glob("pygeoapi-*.json")).read_text())
    assert configuration["server"]["bind"]["host"] == "127.0.0.1"
    assert configuration["server"]["limits"]["on_exceed"] == "error"


def test_the_service_reads_the_postgresql_store(mirror, database_url, tmp_path):
    """With ATLAS_DATABASE_URL the service serves the database's versions, and follows a change in it."""
    counts = write_text(tmp_path / "h.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;13;131\n")  # synthetic
    assert main(["import", str(counts), "--year", "2027", "--source", SOURCE]) == 0
    with running_ogc_server(tmp_path / "ogc.log", ATLAS_DATASETS_DIR=str(tmp_path / "unused")) as url:
        status, feature = get(f"{url}/collections/desa_terbaru/items/33.75.02.1004?f=json")
        assert status == 200 and (feature["properties"]["pekerja"], feature["properties"]["tahun"]) == (131, 2027)
        newer = write_text(tmp_path / "n.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;14;140\n")
        assert main(["import", str(newer), "--year", "2028", "--source", SOURCE]) == 0
        status, feature = get(f"{url}/collections/desa_terbaru/items/33.75.02.1004?f=json")
        assert (feature["properties"]["pekerja"], feature["properties"]["tahun"]) == (140, 2028)
    assert not (tmp_path / "unused").exists()


def test_the_service_serves_the_region_it_was_started_for(mirror, tmp_path):
    from atlas.data.boundaries import load_boundaries

    kota = set(load_boundaries(("33.75",)).desa["KDEPUM"])
    with running_ogc_server(tmp_path / "ogc.log", "kota", ATLAS_DATASETS_DIR=str(tmp_path / "datasets")) as url:
        status, page = get(f"{url}/collections/desa_terbaru/items?f=json&limit=1000")
    assert status == 200 and {f["id"] for f in page["features"]} == kota and page["numberMatched"] == len(kota)
