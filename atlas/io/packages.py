"""What ``atlas publish`` writes for the office to publish: per layer of ``atlas.io.collections``
a zipped Shapefile and a GeoPackage with their ISO 19139 record beside them (``<layer>.xml``:
what PALAPA and GeoServer ingest), and one Data Package (``datapackage/``: the frictionless
standard that CKAN / Satu Data portals take) with a CSV and a GeoJSON per layer, a table schema
from the field registry, the licence and the sources.

A package is written into a fresh folder and moved into place in one rename: an earlier package
at ``out`` stays whole until the new one is complete (``--force`` replaces it).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd

from atlas import __version__, fields
from atlas.data.datasets import list_datasets
from atlas.data.store.base import now
from atlas.errors import OutputExistsError
from atlas.io.collections import COLLECTIONS, Collection, collection_frame
from atlas.io.export import spreadsheet_safe, write_geojson, write_geopackage, write_shapefile_zip
from atlas.io.metadata import Layer, iso19139
from atlas.io.publication import LICENCE, Publisher, keywords, lineage

PACKAGE_NAME = "atlas-batik-pekalongan"
JSON_TYPES = {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}


def publish(out: str | Path, region: str = "all", *, force: bool = False, publisher: Publisher | None = None) -> Path:
    """Write the publication package of ``region`` to the folder ``out``."""
    out = Path(out)
    if out.exists() and not force:
        raise OutputExistsError(f"{out} exists; use --force to replace it")
    publisher = publisher or Publisher.configured()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as work:
        folder = Path(work) / "package"
        (folder / "datapackage").mkdir(parents=True)
        years = tuple(sorted({d.year for d in list_datasets()}))
        resources = []
        for collection in COLLECTIONS.values():
            frame = collection_frame(collection, region)
            if frame.empty:
                continue  # the change layer, while there is one version only
            meta = _metadata(collection, years)
            level = {collection.level: frame}
            write_shapefile_zip(level, collection.level, meta, folder / f"{collection.name}.zip")
            write_geopackage({collection.name: frame}, collection.name, meta, folder / f"{collection.name}.gpkg")
            layer = _layer(collection, frame, years, publisher)
            (folder / f"{collection.name}.xml").write_text(iso19139(layer, publisher), encoding="utf-8")
            resources += _data_resources(collection, frame, meta, folder / "datapackage")
        descriptor = _descriptor(resources, years)
        (folder / "datapackage" / "datapackage.json").write_text(
            json.dumps(descriptor, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        if out.exists():
            shutil.rmtree(out)
        folder.rename(out)
    return out


def package_zip(region: str = "all") -> bytes:
    """The publication package as one zip, for the app's download area."""
    with tempfile.TemporaryDirectory() as work:
        folder = publish(Path(work) / "paket", region)
        archive = Path(work) / "paket.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    zipped.write(path, path.relative_to(folder))
        return archive.read_bytes()


def _metadata(collection: Collection, years: tuple[int, ...]) -> dict[str, str]:
    """The provenance table written inside each file."""
    return {
        "judul": collection.title("id"),
        "title": collection.title("en"),
        "lisensi": f"{LICENCE.name} ({LICENCE.url}); {LICENCE.attribution}",
        "tahun_data": ", ".join(map(str, years)),
        "asal_usul": "; ".join(lineage()),
        "diterbitkan": now(),
        "perangkat": f"batik-atlas {__version__}",
    }


def _layer(collection: Collection, frame: gpd.GeoDataFrame, years: tuple[int, ...], publisher: Publisher) -> Layer:
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)
    return Layer(
        identifier=f"{PACKAGE_NAME}-{collection.name}",
        title=(collection.title("id"), collection.title("en")),
        abstract=(collection.description("id"), collection.description("en")),
        bounds=(minx, miny, maxx, maxy),
        years=years,
        links={
            "ogcapi": (f"{publisher.url}/collections/{collection.name}", "OGC API - Features"),
            "gpkg": (f"{publisher.url}/files/{collection.name}.gpkg", "WWW:DOWNLOAD-1.0-http--download"),
            "shp": (f"{publisher.url}/files/{collection.name}.zip", "WWW:DOWNLOAD-1.0-http--download"),
        },
    )


def _data_resources(collection: Collection, frame: gpd.GeoDataFrame, meta: dict, folder: Path) -> list[dict]:
    """The layer's CSV (with its table schema) and GeoJSON in the data package."""
    attributes = spreadsheet_safe(frame.drop(columns="geometry"))
    attributes.to_csv(folder / f"{collection.name}.csv", index=False, encoding="utf-8")
    write_geojson({collection.name: frame}, collection.name, meta, folder / f"{collection.name}.geojson")
    name = collection.name.replace("_", "-")
    return [
        {
            "name": name,
            "title": collection.title("id"),
            "description": f"{collection.description('id')} / {collection.description('en')}",
            "path": f"{collection.name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [_field(column, frame[column]) for column in attributes.columns],
                "primaryKey": [collection.id_field],
                "missingValues": [""],
            },
        },
        {
            "name": f"{name}-geojson",
            "title": collection.title("en"),
            "path": f"{collection.name}.geojson",
            "format": "geojson",
            "mediatype": "application/geo+json",
        },
    ]


def _field(column: str, values) -> dict:
    """A table-schema field: its type from the values, its title and description from the registry."""
    field = {"name": column, "type": JSON_TYPES.get(values.dtype.kind, "string")}
    if fields.is_known(column):
        known = fields.field(column)
        field["title"] = f"{known.label_id} / {known.label_en}"
        field["description"] = f"{known.description_id} / {known.description_en}"
    return field


def _descriptor(resources: list[dict], years: tuple[int, ...]) -> dict:
    return {
        "name": PACKAGE_NAME,
        "title": "Atlas Batik Pekalongan / Batik Atlas of Pekalongan",
        "description": (
            "Pelaku usaha dan pekerja batik per desa/kelurahan, kecamatan dan kab/kota, dengan kode Kemendagri. "
            "Batik producers and workers per village, district and regency/city, with Kemendagri codes."
        ),
        "version": __version__,
        "created": now(),
        "keywords": keywords("id") + keywords("en"),
        "licenses": [{"name": LICENCE.name, "path": LICENCE.url, "title": "Creative Commons Attribution 4.0"}],
        "sources": [{"title": line} for line in lineage()],
        "temporal": {"start": str(min(years)), "end": str(max(years))},
        "resources": resources,
    }
