"""The change between two dataset versions, unit by unit, as a layer of its own.

Each unit carries the difference of every count and ratio (``selisih_<field>``), the percent
change of the counts where the start is above 0 (``persen_<field>``), both counts, both years,
sources and data statuses, and whether the two values can be compared (``status_banding``):
``comparable`` when both are complete counts, ``partial`` when either covers only part of the
unit (a fall may then be an artefact), ``missing`` when either has no value.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas import fields
from atlas.analysis.layers import NO_DATA, REPORTED, Layers
from atlas.fields import CODE_FIELD

#: Fields whose difference a change layer carries, and those that also get a percent change.
COMPARED = ("pelaku_usaha", "pekerja", "pekerja_per_pelaku", "pelaku_per_km2", "pekerja_per_km2")
COUNTS = ("pelaku_usaha", "pekerja")
COMPARABLE, PARTIAL, MISSING = "comparable", "partial", "missing"


def change_layer(before: Layers, after: Layers, level: str) -> gpd.GeoDataFrame:
    """``after`` minus ``before`` per unit of ``level``, with both values and their provenance."""
    key = CODE_FIELD[level]
    start = before.level(level).set_index(key).reindex(after.level(level)[key])
    end = after.level(level).set_index(key)
    identity = fields.level_fields(level, ("identity",))
    layer = after.level(level)[[*identity, "luas_km2", "geometry"]].copy()
    for name in COMPARED:
        difference = end[name].astype("Float64") - start[name].astype("Float64")
        layer[f"selisih_{name}"] = difference.astype(float).to_numpy()
    for name in COUNTS:
        base = start[name].astype("Float64")
        with np.errstate(invalid="ignore", divide="ignore"):
            percent = 100 * (end[name].astype("Float64") - base) / base.where(base > 0)
        layer[f"persen_{name}"] = percent.astype(float).to_numpy()
        layer[f"{name}_awal"] = start[name].astype("Int64").to_numpy()
        layer[f"{name}_akhir"] = end[name].astype("Int64").to_numpy()
    for column, suffix, frame in (
        ("tahun", "awal", start),
        ("tahun", "akhir", end),
        ("sumber", "awal", start),
        ("sumber", "akhir", end),
    ):
        layer[f"{column}_{suffix}"] = frame[column].to_numpy()
    layer["tahun_awal"] = layer["tahun_awal"].astype("Int64")
    layer["tahun_akhir"] = layer["tahun_akhir"].astype("Int64")
    layer["status_awal"] = start["status_data"].fillna(NO_DATA).to_numpy()
    layer["status_akhir"] = end["status_data"].fillna(NO_DATA).to_numpy()
    layer["status_banding"] = [_comparability(a, b) for a, b in zip(layer["status_awal"], layer["status_akhir"])]
    return layer


def _comparability(start: str, end: str) -> str:
    if NO_DATA in (start, end):
        return MISSING
    return COMPARABLE if start == end == REPORTED else PARTIAL


def has_overlap(layer: pd.DataFrame) -> bool:
    """True when at least one unit has values in both versions."""
    return bool((layer["status_banding"] != MISSING).any())
