"""Write atlas layers to GIS files with their provenance, atomically, never over an existing
file unless forced: GeoJSON (RFC 7946), GeoPackage (all levels + metadata), zipped Shapefile,
CSV and XLSX attribute tables."""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
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
from atlas.data.datasets import LATEST
from atlas.errors import ExportError
from atlas.fields import LEVELS

DECIMALS = 4
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet cell a formula
GPKG_VERSION = "1.2"  # GDAL 3.6 (Debian 12) warns on the newer 1.4 it does not fully support
#: CSV field separator and decimal mark: Indonesian spreadsheets read ';' and ',', others ',' and '.'
CSV_STYLES = {"id": (";", ","), "intl": (",", ".")}
GEOJSON_PRECISION = 6
FORMATS = ("geojson", "gpkg", "shp", "csv", "xlsx")
SUFFIXES = {"geojson": ".geojson", "gpkg": ".gpkg", "shp": ".zip", "csv": ".csv", "xlsx": ".xlsx"}
MEDIA_TYPES = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "shp": "application/zip",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "zip": "application/zip",
}


def export_fields(layer: gpd.GeoDataFrame, level: str) -> list[str]:
    """Columns written for a level, in order: the registry's fields present in the layer (in
    registry order), then its other columns (published totals, raster class shares) sorted."""
    if level not in LEVELS:
        raise ExportError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    registered = [f.name for f in fields.FIELDS if level in f.levels and f.name in layer.columns]
    return registered + sorted(c for c in layer.columns if c not in registered and c != "geometry")


def export_frame(layer: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    """The layer as exported: ordered fields, rounded ratios (overlay statistics keep full
    precision: they are measurements, often small, e.g. mg/L), EPSG:4326 on a grid of
    ``GEOJSON_PRECISION`` decimals (rounded here, so that no part collapses on writing), CCW
    exterior rings."""
    frame = layer[export_fields(layer, level) + ["geometry"]].to_crs("EPSG:4326")
    floats = [c for c in frame.select_dtypes("float").columns if not _is_overlay(c)]
    frame[floats] = frame[floats].round(DECIMALS)
    gridded = shapely.set_precision(frame.geometry.values, 10.0**-GEOJSON_PRECISION)
    frame["geometry"] = shapely.orient_polygons(gridded, exterior_cw=False)
    return frame


def _is_overlay(column: str) -> bool:
    return fields.is_known(column) and fields.field(column).group == "overlay"


def export_metadata(layers: Layers) -> dict[str, str]:
    """Provenance written into every export."""
    totals = indicators.load_totals()
    return {
        "judul": "Atlas Batik Pekalongan / Batik Atlas of Pekalongan",
        "wilayah": layers.region,
        "tahun_data": _years(layers),
        "sumber_data": layers.dataset.source,
        "sumber_total_terbitan": "; ".join(dict.fromkeys(totals["sumber"])),
        "batas_wilayah": (
            f"{sources.UPSTREAM_REPOSITORY} (MIT) commit {sources.UPSTREAM_COMMIT}, kode Kepmendagri 300.2.2-2430/2025"
        ),
        "diekspor": datetime.now(UTC).isoformat(timespec="seconds"),
        "perangkat": f"batik-atlas {__version__}",
        "catatan": "Nilai kosong = tidak ada data (bukan nol). Empty values = no data (not zero).",
    }


def _years(layers: Layers) -> str:
    """The dataset's year, or for the latest-count view the years its units' values come from."""
    if layers.dataset.kind != LATEST:
        return str(layers.dataset.year)
    years = sorted({int(y) for y in layers.desa["tahun"].dropna()})
    return "per unit (kolom tahun): " + ", ".join(map(str, years))


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
    for number, (name, frame) in enumerate(frames.items()):
        created = {"dataset_options": {"VERSION": GPKG_VERSION}} if number == 0 else {}
        pyogrio.write_dataframe(frame, out, layer=name, driver="GPKG", **created)
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


def write_csv(frames: dict, level: str, meta: dict, out: Path, style: str = "intl") -> None:
    """Attribute table as UTF-8 CSV with a BOM (spreadsheet programs read it), in a ``style`` of
    ``CSV_STYLES``; every row carries its year and source."""
    separator, decimal = CSV_STYLES[style]
    _attributes(frames[level]).to_csv(out, index=False, encoding="utf-8-sig", sep=separator, decimal=decimal)


def write_xlsx(frames: dict, level: str, meta: dict, out: Path) -> None:
    """Attribute table in sheet 'data' and the provenance in sheet 'metadata'. The workbook is
    made in memory and written in one go, so a full disk is one plain OSError."""
    book = io.BytesIO()
    with pd.ExcelWriter(book, engine="openpyxl") as writer:
        _attributes(frames[level]).to_excel(writer, sheet_name="data", index=False)
        _metadata_table(meta).to_excel(writer, sheet_name="metadata", index=False)
    out.write_bytes(book.getvalue())


WRITERS = {
    "geojson": write_geojson,
    "gpkg": write_geopackage,
    "shp": write_shapefile_zip,
    "csv": write_csv,
    "xlsx": write_xlsx,
}


@dataclass(frozen=True)
class Product:
    """Layers of one kind (counts, margin, change, overlay) at each level they exist, with the
    provenance written beside them: what the app's downloads and ``atlas export`` write."""

    name: str  # in file names: batik, margin, perubahan, lingkungan
    levels: dict[str, gpd.GeoDataFrame]
    metadata: dict[str, str]

    def frames(self, level: str, fmt: str) -> dict[str, gpd.GeoDataFrame]:
        """Export frames of ``level``, or of every level for a GeoPackage."""
        if level not in self.levels:
            raise ExportError(f"unknown level {level!r} for the {self.name} layer: use one of {', '.join(self.levels)}")
        names = list(self.levels) if fmt == "gpkg" else [level]
        return {name: export_frame(self.levels[name], name) for name in names}

    def file_name(self, level: str, fmt: str, region: str) -> str:
        """A download name that says what the file holds."""
        what = "semua-tingkat" if fmt == "gpkg" and len(self.levels) > 1 else level
        return f"atlas_{self.name}_{what}_{region}{SUFFIXES[fmt]}"


def write_product(
    product: Product, level: str, fmt: str, out: str | Path, *, force: bool = False, csv_style: str = "intl"
) -> Path:
    """Write ``level`` of ``product`` (every level for 'gpkg') as ``fmt`` to ``out``, atomically."""
    if fmt not in WRITERS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if csv_style not in CSV_STYLES:
        raise ExportError(f"unknown CSV style {csv_style!r}: use one of {', '.join(CSV_STYLES)}")
    frames = product.frames(level, fmt)
    options = {"style": csv_style} if fmt == "csv" else {}
    try:
        with atomic_path(out, force=force) as tmp:
            WRITERS[fmt](frames, level, product.metadata, tmp, **options)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:  # /proc, a full disk
        reason = (str(exc).splitlines() or [type(exc).__name__])[0].replace(str(tmp), str(out))
        raise ExportError(f"{out} could not be written ({reason})") from None
    return Path(out)


def product_bytes(product: Product, level: str, fmt: str, *, csv_style: str = "intl") -> bytes:
    """``write_product`` into memory, for download buttons."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{SUFFIXES[fmt]}"
        return write_product(product, level, fmt, path, csv_style=csv_style).read_bytes()


def format_of(path: str | Path) -> str:
    """Export format from a file name (.geojson, .gpkg, .zip, .csv, .xlsx)."""
    suffix = Path(path).suffix.lower()
    for fmt, known in SUFFIXES.items():
        if suffix == known or (fmt == "geojson" and suffix == ".json"):
            return fmt
    raise ExportError(f"{Path(path).name}: use one of {', '.join(SUFFIXES.values())}")


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
    """The attribute table as a spreadsheet gets it (see ``spreadsheet_safe``)."""
    return spreadsheet_safe(pd.DataFrame(frame.drop(columns="geometry")))


def _metadata_table(meta: dict) -> pd.DataFrame:
    return spreadsheet_safe(pd.DataFrame({"kunci": list(meta), "nilai": [str(v) for v in meta.values()]}))


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula (starting with = + - @, tab or carriage
    return) prefixed with an apostrophe, after OWASP's CSV-injection guidance; numbers untouched."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_neutralised)
    return safe


def _neutralised(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
