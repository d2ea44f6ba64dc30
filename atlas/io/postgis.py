"""The atlas's layers as PostGIS tables the office's GIS opens as they are (GeoServer, QGIS,
``ogr2ogr PG:``), in the schema ``atlas_lapisan`` of the store's database.

Per level (desa, kecamatan, kabkota): ``<level>_terbaru`` (every unit's latest count),
``<level>_<version key>`` for Tabel 1 and every stored version, ``<level>_margin`` (the margin
model on the latest counts) and, with two versions or more, ``<level>_perubahan`` (from the
oldest version to the newest). Every table has the columns of ``atlas export`` (the field
registry's names), ``geom geometry(MultiPolygon, 4326)`` with a GiST index, a primary key
``fid`` and comments in both languages. One publication is one transaction: a GIS client sees
the previous set of layers or the new one, never a mix. ``publish_after_change`` runs after
every change when the store is PostgreSQL.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import psycopg
import shapely
from psycopg import sql

from atlas import config, fields
from atlas.analysis.layers import build_layers
from atlas.analysis.margin import load_model, load_umk
from atlas.data.datasets import LATEST, TABEL1, latest_dataset, list_datasets
from atlas.data.store.base import now
from atlas.data.store.postgres import check_schema, connect, describe, scalar, translated_errors
from atlas.data.store.schema import LAYERS_SCHEMA, SCHEMA
from atlas.errors import OptionError
from atlas.fields import LEVELS
from atlas.io.export import export_frame
from atlas.io.products import change_product, counts_product, margin_product

LOG = logging.getLogger(__name__)
SRID = 4326
#: PostgreSQL cuts longer names
MAX_NAME = 63


@dataclass(frozen=True)
class PublishedLayer:
    """One table written: its name, title and level, and how many features it holds."""

    name: str
    title: str
    level: str
    features: int


def publish_layers(url: str | None = None, region: str = "all") -> list[PublishedLayer]:
    """Write every layer of ``region`` into ``atlas_lapisan`` of the database at ``url`` (default:
    ``ATLAS_DATABASE_URL``), replacing what was published before, in one transaction."""
    url = url or config.database_url()
    if not url:
        raise OptionError("publishing layers needs the PostgreSQL store: set ATLAS_DATABASE_URL")
    products = list(_products(region))
    published = []
    with connect(url) as connection, translated_errors(describe(url)):
        check_schema(connection, describe(url))
        connection.execute("SELECT pg_advisory_xact_lock(hashtext('atlas publish-layers'))")
        counter = scalar(connection, f"SELECT nomor FROM {SCHEMA}.perubahan")
        for (old,) in connection.execute(f"SELECT nama FROM {SCHEMA}.lapisan_terbit").fetchall():
            connection.execute(sql.SQL("DROP TABLE IF EXISTS {}.{}").format(*_names(old)))
        connection.execute(f"DELETE FROM {SCHEMA}.lapisan_terbit")
        for suffix, title, product in products:
            for level in LEVELS:
                name = table_name(level, suffix)
                frame = export_frame(product.levels[level], level)
                _write_table(connection, name, frame, f"{title}, {level}", product.metadata)
                connection.execute(
                    f"INSERT INTO {SCHEMA}.lapisan_terbit VALUES (%s, %s, %s, %s, %s)",
                    [name, title, level, now(), counter],
                )
                published.append(PublishedLayer(name, title, level, len(frame)))
    return published


def publish_after_change() -> list[PublishedLayer]:
    """After a change to the PostgreSQL store, publish the layers again (nothing for the folder
    store). A failure is logged: the change itself stands."""
    if not config.database_url():
        return []
    try:
        return publish_layers()
    except (psycopg.Error, OSError, ValueError) as exc:
        LOG.warning("the change is stored, but publishing the layers failed: %s", exc)
        return []


def _products(region: str):
    """(table suffix, title, product) of every layer published."""
    versions = list_datasets()
    latest = build_layers(region, dataset=latest_dataset(versions))
    yield "terbaru", "Jumlah terbaru per wilayah / Latest count per unit", counts_product(latest)
    by_version = {}
    for dataset in versions:
        layers = build_layers(region, dataset=dataset)
        by_version[dataset.key] = layers
        suffix = "tabel1_2017" if dataset.kind == TABEL1 else dataset.key
        yield suffix, f"Versi / Version {dataset.label}", counts_product(layers)
    model = load_model()
    margin = margin_product(latest, model, model.wage_year, load_umk())
    yield "margin", "Model margin (Gambar 3) / Margin model", margin
    desa_versions = [d for d in versions if d.kind != "kecamatan" and d.kind != LATEST]
    if len(desa_versions) >= 2:
        first, last = desa_versions[0], desa_versions[-1]
        change = change_product(by_version[first.key], by_version[last.key])
        yield "perubahan", f"Perubahan / Change {first.label} -> {last.label}", change


def table_name(level: str, suffix: str) -> str:
    """A table name GIS clients take without quoting: lower case, digits and ``_``."""
    return re.sub(r"[^0-9a-z_]+", "_", f"{level}_{suffix}".casefold())[:MAX_NAME]


def _names(table: str) -> tuple[sql.Identifier, sql.Identifier]:
    return sql.Identifier(LAYERS_SCHEMA), sql.Identifier(table)


def _write_table(connection: psycopg.Connection, name: str, frame: gpd.GeoDataFrame, title: str, meta: dict) -> None:
    """``frame`` as the table ``name``: typed columns, MultiPolygon geometry, GiST index, comments."""
    schema, table = _names(name)
    columns = [c for c in frame.columns if c != "geometry"]
    definitions: list[sql.Composable] = [sql.SQL("fid integer PRIMARY KEY")]
    definitions += [sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(_sql_type(frame[c]))) for c in columns]
    definitions.append(sql.SQL(f"geom geometry(MultiPolygon, {SRID}) NOT NULL"))
    connection.execute(sql.SQL("CREATE TABLE {}.{} ({})").format(schema, table, sql.SQL(", ").join(definitions)))
    geometries = shapely.set_srid(_as_multipolygons(frame.geometry.values), SRID)
    copy = sql.SQL("COPY {}.{} ({}) FROM STDIN").format(
        schema, table, sql.SQL(", ").join(map(sql.Identifier, ["fid", *columns, "geom"]))
    )
    values = frame[columns].astype(object).where(frame[columns].notna(), None).itertuples(index=False)
    wkb = shapely.to_wkb(geometries, hex=True, include_srid=True)
    with connection.cursor() as cursor, cursor.copy(copy) as rows:
        for fid, (row, geometry) in enumerate(zip(values, wkb), start=1):
            rows.write_row([fid, *row, geometry])
    connection.execute(
        sql.SQL("CREATE INDEX {} ON {}.{} USING GIST (geom)").format(sql.Identifier(f"{name[:55]}_geom"), schema, table)
    )
    description = f"{title}. " + "; ".join(f"{k}: {v}" for k, v in meta.items())
    connection.execute(sql.SQL("COMMENT ON TABLE {}.{} IS {}").format(schema, table, sql.Literal(description)))
    for column in columns:
        if fields.is_known(column):
            known = fields.field(column)
            text = f"{known.label_id} / {known.label_en}: {known.description_id} / {known.description_en}"
            connection.execute(
                sql.SQL("COMMENT ON COLUMN {}.{}.{} IS {}").format(
                    schema, table, sql.Identifier(column), sql.Literal(text)
                )
            )
    connection.execute(sql.SQL("ANALYZE {}.{}").format(schema, table))


def _sql_type(values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    if pd.api.types.is_integer_dtype(values):
        return "bigint"
    if pd.api.types.is_float_dtype(values):
        return "double precision"
    return "text"


def _as_multipolygons(geometries):
    """Every polygon as a MultiPolygon of one part, so a table has one geometry type."""
    single = shapely.get_type_id(geometries) == shapely.GeometryType.POLYGON
    promoted = geometries.copy()
    promoted[single] = [shapely.MultiPolygon([g]) for g in geometries[single]]
    return promoted
