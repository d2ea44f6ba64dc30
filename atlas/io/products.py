"""The layers a person can take away, each built by one function that the app's downloads and
``atlas export`` / ``atlas overlay`` share: counts, margin estimates, change between two
versions, and raster statistics."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from atlas.analysis.change import change_layer
from atlas.analysis.layers import Layers
from atlas.analysis.margin import MarginModel, margin_layer, margin_metadata
from atlas.analysis.series import TOLERANCE_YEARS, series_versions, unit_series
from atlas.fields import LEVELS
from atlas.io.export import Product, export_metadata


def counts_product(layers: Layers) -> Product:
    """Producers and workers per unit, at every level, with published totals at kab/kota level."""
    return Product("batik", {level: layers.level(level) for level in LEVELS}, export_metadata(layers))


def margin_product(layers: Layers, model: MarginModel, umk_year: int, umk: pd.DataFrame) -> Product:
    """The margin model's estimates per unit at every level; every input's provenance (sourced
    or scenario) in the metadata and per value in the ``asal_*`` fields."""
    levels = {level: margin_layer(layers.level(level), model, umk_year, umk) for level in LEVELS}
    return Product("margin", levels, {**export_metadata(layers), **margin_metadata(model, umk_year)})


def change_product(before: Layers, after: Layers) -> Product:
    """The change from ``before`` to ``after`` at every level (``atlas.analysis.change``)."""
    levels = {level: change_layer(before, after, level) for level in LEVELS}
    meta = {
        **export_metadata(after),
        "perubahan": f"{before.dataset.label} -> {after.dataset.label}",
        "tahun_awal": str(before.dataset.year),
        "sumber_awal": before.dataset.source,
    }
    return Product("perubahan", levels, meta)


def series_product(region: str, tolerance: int = TOLERANCE_YEARS) -> Product:
    """Every unit's values through the years, at every level (``atlas.analysis.series``)."""
    levels = {level: unit_series(region, level, tolerance) for level in LEVELS}
    versions = series_versions()
    meta = {
        "judul": "Atlas Batik Pekalongan: deret waktu / time series",
        "wilayah": region,
        "tahun_data": ", ".join(map(str, sorted({d.year for d in versions}))),
        "sumber_data": "; ".join(d.label for d in versions),
        "toleransi_tahun": str(tolerance),
        "catatan": (
            "Satu baris per wilayah dan tahun; dibawa = yes: nilai tahun terdekat sebelumnya (tahun_data). "
            "One row per unit and year; dibawa = yes: the closest earlier year's value (tahun_data)."
        ),
    }
    return Product("deret", levels, meta)


def overlay_product(layers: Layers, level: str, joined: gpd.GeoDataFrame, raster_meta: dict[str, str]) -> Product:
    """One level joined with raster statistics, with the raster's provenance."""
    return Product("lingkungan", {level: joined}, {**export_metadata(layers), **raster_meta})
