"""Write atlas layers to GIS files with their provenance, atomically, never over an existing
file unless forced: GeoJSON (RFC 7946), GeoPackage (all levels + metadata), zipped Shapefile,
CSV and XLSX attribute tables."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from atlas import __version__, fields
from atlas.analysis.layers import Layers
from atlas.atomic import atomic_path
from atlas.data import indicators, sources
from atlas.errors import ExportError
from atlas.fields import CODE_FIELD, LEVELS

BASE_GROUPS = ("identity", "indicator", "aggregate")
DECIMALS = 4
GEOJSON_PRECISION = 6
FORMATS = ("geojson", "gpkg", "shp", "csv", "xlsx")
SUFFIXES = {"geojson": ".geojson", "gpkg": ".gpkg", "shp": ".zip", "csv": ".csv", "xlsx": ".xlsx"}
MEDIA_TYPES = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "shp": "application/zip",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_fields(layer: gpd.GeoDataFrame, level: str) -> list[str]:
    """Columns written for a level, in order: the registry's identification, indicator and
    aggregate fields, then the layer's other columns (published totals, margin, overlay, change)."""
    if level not in LEVELS:
        raise ExportError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    ordered = fields.level_fields(level, BASE_GROUPS)
    known = set(ordered) | {"geometry"}
    return ordered + sorted(c for c in layer.columns if c not in known and c != CODE_FIELD[level])


def export_frame(layer: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    """The layer as exported: ordered fields, rounded ratios, EPSG:4326, CCW exterior rings."""
    frame = layer[export_fields(layer, level) + ["geometry"]].to_crs("EPSG:4326")
    floats = frame.select_dtypes("float").columns
    frame[floats] = frame[floats].round(DECIMALS)
    frame["geometry"] = shapely.orient_polygons(frame.geometry.values, exterior_cw=False)
    return frame


def export_metadata(layers: Layers) -> dict[str, str]:
    """Provenance written into every export."""
    totals = indicators.load_totals()
    return {
        "judul": "Atlas Batik Pekalongan / Batik Atlas of Pekalongan",
        "wilayah": layers.region,
        "tahun_data": str(layers.dataset.year),
        "sumber_data": layers.dataset.source,
        "sumber_total_terbitan": "; ".join(dict.fromkeys(totals["sumber"])),
        "batas_wilayah": (
            f"{sources.UPSTREAM_REPOSITORY} (MIT) commit {sources.UPSTREAM_COMMIT}, kode Kepmendagri 300.2.2-2430/2025"
        ),
        "diekspor": datetime.now(UTC).isoformat(timespec="seconds"),
        "perangkat": f"batik-atlas {__version__}",
        "catatan": "Nilai kosong = tidak ada data (bukan nol). Empty values = no data (not zero).",
    }


def write_geojson(frames: dict, level: str, meta: dict, out: Path) -> None:
    """RFC 7946 GeoJSON: lon/lat WGS 84, counter-clockwise exteriors, at most 6 decimals."""
    description = "; ".join(f"{k}: {v}" for k, v in meta.items())
    pyogrio.write_dataframe(
        frames[level],
        out,
        driver="GeoJSON",
        layer_options={
            "RFC7946": "YES",
            "COORDINATE_PRECISION": str(GEOJSON_PRECISION),
            "WRITE_NAME": "NO",
            "DESCRIPTION": description,
        },
    )


def write_geopackage(frames: dict, level: str, meta: dict, out: Path) -> None:
    """One GeoPackage with every given layer (desa, kecamatan, kab/kota) and a metadata table."""
    for name, frame in frames.items():
        pyogrio.write_dataframe(frame, out, layer=name, driver="GPKG")
    pyogrio.write_dataframe(_metadata_table(meta), out, layer="metadata", driver="GPKG")


def write_shapefile_zip(frames: dict, level: str, meta: dict, out: Path) -> None:
    """A zip of one Shapefile (.shp .shx .dbf .prj, .cpg = UTF-8), its field names and metadata."""
    frame = frames[level]
    names = shapefile_names(list(frame.columns.drop("geometry")))
    with tempfile.TemporaryDirectory() as folder:
        shp = Path(folder) / f"atlas_batik_{level}.shp"
        pyogrio.write_dataframe(
            frame.rename(columns=names), shp, driver="ESRI Shapefile", layer_options={"ENCODING": "UTF-8"}
        )
        fields = pd.DataFrame({"kolom_shapefile": list(names.values()), "kolom": list(names.keys())})
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(Path(folder).iterdir()):
                archive.write(part, part.name)
            archive.writestr("kolom.csv", fields.to_csv(index=False))
            archive.writestr("metadata.csv", _metadata_table(meta).to_csv(index=False))


def write_csv(frames: dict, level: str, meta: dict, out: Path) -> None:
    """Attribute table as UTF-8 CSV with a BOM (spreadsheet programs read it); every row carries
    its year and source."""
    _attributes(frames[level]).to_csv(out, index=False, encoding="utf-8-sig")


def write_xlsx(frames: dict, level: str, meta: dict, out: Path) -> None:
    """Attribute table in sheet 'data' and the provenance in sheet 'metadata'."""
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        _attributes(frames[level]).to_excel(writer, sheet_name="data", index=False)
        _metadata_table(meta).to_excel(writer, sheet_name="metadata", index=False)


WRITERS = {
    "geojson": write_geojson,
    "gpkg": write_geopackage,
    "shp": write_shapefile_zip,
    "csv": write_csv,
    "xlsx": write_xlsx,
}


def export_layers(layers: Layers, level: str, fmt: str, out: str | Path, *, force: bool = False) -> Path:
    """Write ``level`` of ``layers`` (every level for 'gpkg') as ``fmt`` to ``out``, atomically."""
    return write_frames(_layer_frames(layers, level, fmt), level, fmt, export_metadata(layers), out, force=force)


def _layer_frames(layers: Layers, level: str, fmt: str) -> dict:
    """Export frames of ``level`` (every level for a GeoPackage)."""
    if level not in LEVELS:
        raise ExportError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    names = LEVELS if fmt == "gpkg" else (level,)
    return {name: export_frame(layers.level(name), name) for name in names}


def write_frames(frames: dict, level: str, fmt: str, meta: dict, out: str | Path, *, force: bool = False) -> Path:
    """Write prepared frames (``export_frame``) with ``meta`` as ``fmt`` to ``out``, atomically."""
    if fmt not in WRITERS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    with atomic_path(out, force=force) as tmp:
        WRITERS[fmt](frames, level, meta, tmp)
    return Path(out)


def format_of(path: str | Path) -> str:
    """Export format from a file name (.geojson, .gpkg, .zip, .csv, .xlsx)."""
    suffix = Path(path).suffix.lower()
    for fmt, known in SUFFIXES.items():
        if suffix == known or (fmt == "geojson" and suffix == ".json"):
            return fmt
    raise ExportError(f"{Path(path).name}: use one of {', '.join(SUFFIXES.values())}")


def export_bytes(layers: Layers, level: str, fmt: str) -> bytes:
    """The export as bytes, for download buttons."""
    return frames_bytes(_layer_frames(layers, level, fmt), level, fmt, export_metadata(layers))


def frames_bytes(frames: dict, level: str, fmt: str, meta: dict) -> bytes:
    """Prepared frames written as ``fmt``, returned as bytes (for download buttons)."""
    with tempfile.TemporaryDirectory() as folder:
        return write_frames(frames, level, fmt, meta, Path(folder) / f"export{SUFFIXES[fmt]}").read_bytes()


def shapefile_names(columns: list[str]) -> dict[str, str]:
    """dBASE field name (at most 10 characters, unique) of each column: from the field registry,
    or for a published total from ``kolom_shp`` in ``published_totals.csv``."""
    totals = dict(zip(*indicators.load_totals()[["kolom", "kolom_shp"]].to_numpy().T))
    names: dict[str, str] = {}
    for column in columns:
        name = totals.get(column) or (fields.field(column).shapefile_name if fields.is_known(column) else column)
        if len(name) > fields.SHAPEFILE_NAME_LIMIT or name in names.values():
            raise ExportError(
                f"no Shapefile field name for {column!r}: register it in atlas/fields.py "
                "(or give kolom_shp in geodata/published_totals.csv)"
            )
        names[column] = name
    return names


def _attributes(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame(frame.drop(columns="geometry"))


def _metadata_table(meta: dict) -> pd.DataFrame:
    return pd.DataFrame({"kunci": list(meta), "nilai": [str(v) for v in meta.values()]})
