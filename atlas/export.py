"""Write atlas layers to GIS files, atomically and never over an existing file unless forced."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from .atomic import atomic_path
from .errors import ExportError
from .layers import CODE_FIELD, LEVELS

#: Field order per level: identification (BIG RBI names) first, then indicators.
ID_FIELDS = {
    "desa": ["KDEPUM", "WADMKD", "tingkat", "KDCPUM", "WADMKC", "KDPKAB", "WADMKK", "KDPPUM", "WADMPR"],
    "kecamatan": ["KDCPUM", "WADMKC", "KDPKAB", "WADMKK", "KDPPUM", "WADMPR"],
    "kabkota": ["KDPKAB", "WADMKK", "KDPPUM", "WADMPR"],
}
INDICATOR_FIELDS = ["pelaku_usaha", "pekerja", "pekerja_per_pelaku", "pelaku_per_km2",
                    "pekerja_per_km2", "luas_km2", "tahun", "sumber", "status_data"]
EXTRA_FIELDS = {"desa": ["klaster"], "kecamatan": ["jumlah_unit", "unit_berdata"],
                "kabkota": ["jumlah_unit", "unit_berdata"]}
DECIMALS = 4
GEOJSON_PRECISION = 6


def export_fields(layer: gpd.GeoDataFrame, level: str) -> list[str]:
    """Columns written for a level, in order; published totals follow at kab/kota level."""
    if level not in LEVELS:
        raise ExportError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    fields = ID_FIELDS[level] + INDICATOR_FIELDS + EXTRA_FIELDS[level]
    known = set(fields) | {"geometry"}
    return fields + sorted(c for c in layer.columns if c not in known and c != CODE_FIELD[level])


def export_frame(layer: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    """The layer as exported: ordered fields, rounded ratios, EPSG:4326, CCW exterior rings."""
    frame = layer[export_fields(layer, level) + ["geometry"]].to_crs("EPSG:4326")
    floats = frame.select_dtypes("float").columns
    frame[floats] = frame[floats].round(DECIMALS)
    frame["geometry"] = shapely.orient_polygons(frame.geometry.values, exterior_cw=False)
    return frame


def write_geojson(layer: gpd.GeoDataFrame, level: str, out: str | Path, *, force: bool = False) -> Path:
    """RFC 7946 GeoJSON: lon/lat WGS 84, counter-clockwise exteriors, at most 6 decimals."""
    frame = export_frame(layer, level)
    with atomic_path(out, force=force) as tmp:
        pyogrio.write_dataframe(
            frame, tmp, driver="GeoJSON",
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": str(GEOJSON_PRECISION),
                           "WRITE_NAME": "NO"},
        )
    return Path(out)


WRITERS = {"geojson": write_geojson}


def export_layer(layer: gpd.GeoDataFrame, level: str, fmt: str, out: str | Path, *,
                 force: bool = False) -> Path:
    """Write ``layer`` (of ``level``) in format ``fmt`` to ``out``."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(WRITERS)}") from None
    return writer(layer, level, out, force=force)
