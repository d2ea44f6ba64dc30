"""User vector files opened on purpose: GeoPackage, GeoJSON, zipped Shapefile, KML, FlatGeobuf,
or CSV with longitude/latitude columns; local files only, recognised by their content, read by
the GDAL driver meant for them and nothing else.

A vector file can point elsewhere (a GDAL virtual path, a URL, a KML network link), be a zip
bomb or hold millions of features. So the path is checked to be a local file, its first bytes
decide the format, a zip is inspected before GDAL sees it (one Shapefile, bounded size, no paths
outside the archive), GDAL's network access is switched off, and the driver GDAL picks must be the
expected one. Geometries are reprojected to UTM 49S for exact metric statistics; invalid ones are
repaired (``make_valid``) and counted. Every failure is a ``VectorError`` naming the file as the
user knows it.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from atlas.atomic import atomic_path
from atlas.bounded import bounded
from atlas.errors import VectorError

METRIC_CRS = "EPSG:32749"  # UTM zone 49S: Pekalongan and all of Jawa Tengah
MAX_VECTOR_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_FEATURES = 1_000_000
#: format -> (GDAL drivers it may be read with, file name endings it may have)
FORMATS = {
    "gpkg": (("GPKG",), (".gpkg",)),
    "geojson": (("GeoJSON", "GeoJSONSeq"), (".geojson", ".json")),
    "shp": (("ESRI Shapefile",), (".zip",)),
    "kml": (("LIBKML", "KML"), (".kml",)),
    "fgb": (("FlatGeobuf",), (".fgb",)),
    "csv": ((), (".csv",)),  # read as a table; points built from its longitude/latitude columns
}
#: GDAL settings while reading: no network at all.
NO_NETWORK = {"CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".none-allowed", "GDAL_HTTP_TIMEOUT": "1", "GDAL_HTTP_MAX_RETRY": "0"}
LONGITUDE_NAMES = ("lon", "long", "longitude", "bujur", "x")
LATITUDE_NAMES = ("lat", "latitude", "lintang", "y")


@dataclass(frozen=True)
class VectorLayer:
    """A user's vector layer in ``METRIC_CRS``, with what reading it found."""

    frame: gpd.GeoDataFrame
    name: str  # the file's name as the user knows it
    format: str
    crs: str  # the file's own CRS
    kind: str  # polygon | line | point
    repaired: int  # invalid geometries made valid
    dropped: int  # empty or missing geometries left out


def read_vector(path: str | Path, name: str | None = None, layer: str | None = None) -> VectorLayer:
    """The vector file at ``path`` read safely (see the module text) in a bounded child process
    (``atlas.bounded``); ``layer`` picks one of a GeoPackage's layers (needed when it has several)."""
    name = name or Path(str(path)).name
    return bounded(_read_vector, path, name, layer, name=name)


def _read_vector(path: str | Path, name: str, layer: str | None) -> VectorLayer:
    text = str(path)
    if text.startswith("/vsi") or "://" in text:
        raise VectorError(f"{name}: give a local file, not a GDAL virtual path or URL")
    local = Path(text)
    if not local.is_file():
        raise VectorError(f"{name} is not a readable file (no such file)")
    if local.stat().st_size > MAX_VECTOR_BYTES:
        raise VectorError(
            f"{name}: {local.stat().st_size / 1e6:.0f} MB is over the limit of {MAX_VECTOR_BYTES / 1e6:.0f} MB"
        )
    kind = _format_of(local, name)
    if kind == "csv":
        frame = _points_from_csv(local, name)
    else:
        frame = _read_with_gdal(local, name, kind, layer)
    return _prepared(frame, name, kind)


def _format_of(path: Path, name: str) -> str:
    """The format the content shows (the name's ending must agree)."""
    with open(path, "rb") as handle:
        start = handle.read(512)
    stripped = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"SQLite format 3\x00"):
        found = "gpkg"
    elif start.startswith(b"fgb\x03"):
        found = "fgb"
    elif start.startswith(b"PK\x03\x04"):
        found = "shp"
    elif stripped.startswith((b"<?xml", b"<kml")):
        found = "kml"
    elif stripped.startswith((b"{", b"\x1e{")):
        found = "geojson"
    elif path.suffix.lower() == ".csv":
        found = "csv"
    else:
        raise VectorError(f"{name}: not a vector file the atlas reads ({supported()})")
    if path.suffix.lower() not in FORMATS[found][1]:
        raise VectorError(f"{name}: the content is {found}, but the name ends in {path.suffix or 'nothing'}; rename it")
    return found


def supported() -> str:
    return "GeoPackage, GeoJSON, zipped Shapefile, KML, FlatGeobuf, or CSV with longitude/latitude columns"


def _read_with_gdal(path: Path, name: str, kind: str, layer: str | None) -> gpd.GeoDataFrame:
    source = _shapefile_in_zip(path, name) if kind == "shp" else str(path)
    if kind == "gpkg":
        _check_geopackage(path, name)
    pyogrio.set_gdal_config_options(NO_NETWORK)
    try:
        layers = pyogrio.list_layers(source)
        if layer is None and len(layers) > 1:
            names = ", ".join(str(n) for n in layers[:, 0])
            raise VectorError(f"{name} holds {len(layers)} layers ({names}); choose one")
        if layer is not None and layer not in set(layers[:, 0]):
            raise VectorError(f"{name} has no layer {layer!r}; its layers: {', '.join(map(str, layers[:, 0]))}")
        info = pyogrio.read_info(source, layer=layer)
        if info["driver"] not in FORMATS[kind][0]:
            raise VectorError(f"{name} was recognised as {kind} but GDAL reads it as {info['driver']}; refused")
        frame = pyogrio.read_dataframe(source, layer=layer, max_features=MAX_FEATURES + 1)
        if len(frame) > MAX_FEATURES:  # counted, not taken from the file's own (possibly false) count
            raise VectorError(f"{name} holds over {MAX_FEATURES:,} features; the limit is {MAX_FEATURES:,}")
        return frame
    except VectorError:
        raise
    except Exception as exc:  # GDAL's own errors come in several types
        message = (str(exc).replace(str(path), name).splitlines() or [type(exc).__name__])[0][:200]
        raise VectorError(f"{name} is a damaged or unreadable {kind} file ({message})") from None


def _check_geopackage(path: Path, name: str) -> None:
    """Every feature layer of a GeoPackage must be a plain table (a view or a virtual table runs
    SQL of the file's author); read with SQLite itself, read-only, before GDAL opens it."""
    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)) as database:
            database.set_progress_handler(_too_much_sql, SQL_STEPS)
            rows = database.execute(
                "SELECT c.table_name, m.type FROM gpkg_contents AS c LEFT JOIN sqlite_master AS m "
                "ON m.name = c.table_name WHERE c.data_type = 'features'"
            ).fetchall()
    except sqlite3.Error as exc:
        raise VectorError(f"{name} is a damaged or unreadable GeoPackage ({str(exc)[:200]})") from None
    others = [f"{table} ({kind or 'missing'})" for table, kind in rows if kind != "table"]
    if others:
        raise VectorError(f"{name}: layers that are not plain tables are refused: {', '.join(others)}")


SQL_STEPS = 1_000_000  # SQLite steps allowed for reading a GeoPackage's table of contents


def _too_much_sql() -> int:
    return 1  # any non-zero answer interrupts the statement: the contents take a few hundred steps


def _shapefile_in_zip(path: Path, name: str) -> str:
    """The GDAL path of the one Shapefile inside a zip, after checking the archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise VectorError(f"{name} is a damaged zip file") from None
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise VectorError(f"{name} unpacks to more than {MAX_UNPACKED_BYTES / 1e9:.0f} GB; refused")
    if any(m.filename.startswith("/") or ".." in Path(m.filename).parts for m in members):
        raise VectorError(f"{name} holds paths outside the archive; refused")
    shapefiles = [m.filename for m in members if m.filename.lower().endswith(".shp")]
    if len(shapefiles) != 1:
        raise VectorError(f"{name} must hold exactly one .shp (with its .shx, .dbf, .prj); it holds {len(shapefiles)}")
    return f"/vsizip/{path}/{shapefiles[0]}"


def _points_from_csv(path: Path, name: str) -> gpd.GeoDataFrame:
    """Points from a CSV's longitude and latitude columns (WGS 84)."""
    try:
        table = pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig", nrows=MAX_FEATURES + 1)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, csv.Error) as exc:
        raise VectorError(f"{name} is not a readable CSV ({str(exc).splitlines()[0][:200]})") from None
    if len(table) > MAX_FEATURES:
        raise VectorError(f"{name} holds over {MAX_FEATURES:,} rows; the limit is {MAX_FEATURES:,}")
    lon, lat = _column(table, LONGITUDE_NAMES, name), _column(table, LATITUDE_NAMES, name)
    x, y = pd.to_numeric(table[lon], errors="coerce"), pd.to_numeric(table[lat], errors="coerce")
    bad = table.index[x.isna() | y.isna() | ~x.between(-180, 180) | ~y.between(-90, 90)]
    if len(bad):
        rows = ", ".join(str(i + 2) for i in bad[:10])
        raise VectorError(f"{name}: rows {rows} have no valid longitude/latitude in columns {lon}/{lat}")
    return gpd.GeoDataFrame(table.drop(columns=[lon, lat]), geometry=gpd.points_from_xy(x, y), crs="EPSG:4326")


def _column(table: pd.DataFrame, names: tuple[str, ...], name: str) -> str:
    found = [c for c in table.columns if str(c).strip().casefold() in names]
    if not found:
        raise VectorError(
            f"{name}: no longitude/latitude columns (named e.g. {names[0]}, {names[2]}); has {list(table.columns)}"
        )
    return found[0]


def _prepared(frame: gpd.GeoDataFrame, name: str, kind: str) -> VectorLayer:
    """Reprojected, repaired, of one geometry kind."""
    if frame.crs is None:
        raise VectorError(f"{name} has no coordinate reference system (CRS); save it with one (e.g. EPSG:4326)")
    present = frame.geometry.notna() & ~frame.geometry.is_empty
    dropped = int((~present).sum())
    frame = frame[present]
    if frame.empty:
        raise VectorError(f"{name} holds no geometries")
    own_crs = frame.crs.to_string()
    frame = frame.to_crs(METRIC_CRS)
    invalid = ~shapely.is_valid(frame.geometry.values)
    if invalid.any():
        frame = frame.copy()
        frame.loc[invalid, frame.geometry.name] = shapely.make_valid(frame.geometry.values[invalid])
    kinds = {k for k in map(_kind, shapely.get_type_id(frame.geometry.values)) if k}
    if len(kinds) != 1:
        raise VectorError(
            f"{name} mixes {', '.join(sorted(kinds))} geometries; give one kind per file"
            if kinds
            else f"{name} holds no polygons, lines or points"
        )
    frame = frame.reset_index(drop=True)
    return VectorLayer(frame, name, kind, own_crs, kinds.pop(), int(invalid.sum()), dropped)


def _kind(type_id: int) -> str | None:
    """polygon, line or point for a shapely type id (collections from repairs count as polygons)."""
    return {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon", 7: "polygon"}.get(
        int(type_id)
    )


def attribute_values(layer: VectorLayer, attribute: str) -> np.ndarray:
    """The numeric values of ``attribute`` (float, NaN where empty); a clear error otherwise."""
    if attribute not in layer.frame.columns or attribute == layer.frame.geometry.name:
        columns = ", ".join(c for c in layer.frame.columns if c != layer.frame.geometry.name) or "none"
        raise VectorError(f"{layer.name} has no attribute {attribute!r}; its attributes: {columns}")
    values = pd.to_numeric(layer.frame[attribute], errors="coerce")
    wrong = values.isna() & layer.frame[attribute].notna()
    if wrong.any():
        sample = layer.frame[attribute][wrong].iloc[0]
        raise VectorError(f"{layer.name}: attribute {attribute!r} is not numeric (e.g. {str(sample)[:40]!r})")
    return values.to_numpy(dtype=float)


#: File endings an upload may have (the content must agree; see ``read_vector``).
UPLOAD_SUFFIXES = tuple(suffix.lstrip(".") for _, suffixes in FORMATS.values() for suffix in suffixes)


def stored_vector_upload(data: bytes, name: str, folder: Path) -> Path:
    """Keep an uploaded vector file in ``folder`` (the session's upload folder), named by its
    SHA-256 and one of the accepted endings, so GDAL can read it; refused unless it reads as a
    vector layer."""
    suffix = Path(name).suffix.lower()
    if suffix.lstrip(".") not in UPLOAD_SUFFIXES:
        raise VectorError(f"{name}: not a vector file the atlas reads ({supported()})")
    if len(data) > MAX_VECTOR_BYTES:
        raise VectorError(f"{name}: {len(data) / 1e6:.0f} MB is over the limit of {MAX_VECTOR_BYTES / 1e6:.0f} MB")
    path = folder / f"{hashlib.sha256(data).hexdigest()[:20]}{suffix}"
    if not path.exists():
        with atomic_path(path) as tmp:  # kept only when it reads
            tmp.write_bytes(data)
            read_vector(tmp, name)
    return path
