"""Untrusted files are parsed in a bounded place (issue 30, point 1): a memory cap, a time cap,
a stop on request, and no network for any driver. Every hostile file here is synthetic, written by
the test; the listener fails the test on any request that reaches it."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
import zipfile

import geopandas as gpd
import pytest
import shapely
from openpyxl import Workbook

from atlas.analysis.vectors import read_vector
from atlas.bounded import Bounds, bounded, cancel_when
from atlas.cli import main
from atlas.errors import ParseLimitError, SpreadsheetError, VectorError
from atlas.intake.spreadsheet import read_rows


def hog_memory(megabytes: int) -> int:
    """Allocate and touch ``megabytes`` of memory (run in the bounded child)."""
    block = bytearray(megabytes * 2**20)
    return len(block)


def sleep_for(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def connect_to(port: int) -> str:
    """Try to open a connection to a local port from the child: what a driver fetching a URL does."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError as exc:
        return f"refused: {exc.strerror}"
    return "connected"


def test_a_read_within_its_bounds_returns_its_result():
    assert bounded(hog_memory, 50, name="kecil.csv") == 50 * 2**20


def test_a_read_over_the_memory_cap_is_a_one_line_error_in_both_languages():
    with pytest.raises(ParseLimitError) as caught:
        bounded(hog_memory, 2048, name="bom.xlsx", bounds=Bounds(memory_bytes=256 * 2**20))
    message = str(caught.value)
    assert message.startswith("bom.xlsx: reading it needs more than 256 MB of memory")
    assert "butuh lebih dari 256 MB memori" in message and "\n" not in message


def test_a_read_over_the_time_cap_is_stopped():
    started = time.monotonic()
    with pytest.raises(ParseLimitError, match=r"longer than 1 s; refused \(membacanya lebih dari 1 detik"):
        bounded(sleep_for, 30, name="lambat.gpkg", bounds=Bounds(seconds=1))
    assert time.monotonic() - started < 10


def test_a_read_is_stopped_when_the_session_that_asked_for_it_ends():
    ended = threading.Event()
    threading.Timer(0.5, ended.set).start()
    started = time.monotonic()
    with cancel_when(ended.is_set), pytest.raises(ParseLimitError, match="the session that asked for it ended"):
        bounded(sleep_for, 30, name="ditinggal.gpkg")
    assert time.monotonic() - started < 10


def test_the_reader_has_no_network_at_all(listener):
    assert bounded(connect_to, listener.port, name="x").startswith("refused")


def test_a_geojson_whose_crs_links_to_a_url_makes_no_request(listener, tmp_path, capsys):
    path = tmp_path / "tautan.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "link", "properties": {"href": f"{listener.url}/crs.wkt", "type": "ogcwkt"}},
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"v": 1},
                        "geometry": {"type": "Point", "coordinates": [109.6, -6.9]},
                    }
                ],
            }
        )
    )
    with contextlib.suppress(VectorError):  # refusing it is fine; asking the URL is not (the listener checks)
        read_vector(path)
    assert main(["overlay", str(path), "--region", "kota", "--out", str(tmp_path / "o.gpkg")]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err


def test_gml_behind_a_kml_ending_fetches_no_schema(listener, tmp_path):
    path = tmp_path / "skema.kml"
    path.write_text(
        '<?xml version="1.0"?>'
        '<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://ogr.maptools.org/ {listener.url}/s.xsd">'
        '<gml:featureMember><ogr:t><ogr:geometryProperty><gml:Point srsName="EPSG:4326"><gml:coordinates>109.6,-6.9'
        "</gml:coordinates></gml:Point></ogr:geometryProperty></ogr:t></gml:featureMember></ogr:FeatureCollection>"
    )
    with pytest.raises(VectorError):
        read_vector(path)


def small_geopackage(path):
    """Three synthetic points near Pekalongan in a GeoPackage (layer ``titik``)."""
    points = gpd.GeoDataFrame(
        {"nilai": [1, 2, 3]}, geometry=shapely.points([109.60, 109.65, 109.70], [-6.90, -6.92, -6.94]), crs="EPSG:4326"
    )
    points.to_file(path, layer="titik", driver="GPKG")
    return path


def test_a_geopackage_layer_that_is_a_view_is_refused(tmp_path):
    path = small_geopackage(tmp_path / "pandangan.gpkg")
    with sqlite3.connect(path) as database:
        database.execute("ALTER TABLE titik RENAME TO titik_data")
        database.execute("CREATE VIEW titik AS SELECT * FROM titik_data")
    with pytest.raises(VectorError, match=r"not plain tables are refused: titik \(view\)"):
        read_vector(path)


def test_a_geopackages_own_feature_count_is_not_trusted(tmp_path):
    path = small_geopackage(tmp_path / "bohong.gpkg")
    with sqlite3.connect(path) as database:  # the file claims five million features; it holds three
        database.execute("UPDATE gpkg_ogr_contents SET feature_count = 5000000")
    assert len(read_vector(path).frame) == 3


def test_a_merged_range_over_the_whole_sheet_is_refused_at_once(tmp_path):
    """A workbook of a few KB whose merged range covers a million rows (that grew the importer
    to gigabytes): refused from the range's size, without listing its cells."""
    book = Workbook()
    book.active.append(["kode", "pelaku_usaha", "pekerja"])
    plain = tmp_path / "polos.xlsx"
    book.save(plain)
    path = tmp_path / "gabung.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                merged = b'</sheetData><mergeCells count="1"><mergeCell ref="A2:C1048576"/></mergeCells>'
                data = data.replace(b"</sheetData>", merged)
            target.writestr(item, data)
    assert path.stat().st_size < 10_000
    started = time.monotonic()
    with pytest.raises(SpreadsheetError, match="merged range A2:C1048576 reaches beyond"):
        read_rows(path)
    assert time.monotonic() - started < 5
