"""Each unit's values through the years: for every year that has data, the value of that year's
dataset version, or the closest earlier year's within a tolerance (marked as carried), or none.

A unit's value for a year comes from the newest version of that year (by import time) that has
the unit, among the versions the latest-count view uses; kecamatan-level versions are left out
(they have no desa values). At kecamatan and
kab/kota level a year has a value only where every desa of the unit has one (``status_data``
'reported'); otherwise it is missing, never a partial sum.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from atlas.analysis.layers import NO_DATA, PARTIAL, REPORTED, build_layers
from atlas.data.datasets import Dataset, list_datasets
from atlas.fields import CODE_FIELD, NAME_FIELD

#: how many years back a value may be carried to a year without one (the planner can change it)
TOLERANCE_YEARS = 3
VALUE_FIELDS = ("pelaku_usaha", "pekerja")
YES, NO = "yes", "no"


def series_versions(versions: list[Dataset] | None = None) -> list[Dataset]:
    """The versions a series is made of, oldest first: those of the latest-count view, desa-level."""
    versions = list_datasets() if versions is None else versions
    return [d for d in versions if d.in_latest and d.kind != "kecamatan"]


def unit_series(region: str, level: str, tolerance: int = TOLERANCE_YEARS) -> gpd.GeoDataFrame:
    """One row per unit and year with data: the unit's code and name, ``tahun`` (the year shown),
    the value, its source and status, ``tahun_data`` (the year it comes from) and ``dibawa``."""
    code, name = CODE_FIELD[level], NAME_FIELD[level]
    layers = [(d.year, build_layers(region, dataset=d).level(level)) for d in series_versions()]
    frames = []
    for order, (year, layer) in enumerate(layers):
        has_value = layer["pelaku_usaha"].notna() & (
            layer["status_data"].isin([REPORTED, PARTIAL]) if level == "desa" else layer["status_data"].eq(REPORTED)
        )
        kept = layer.loc[has_value, [code, *VALUE_FIELDS, "sumber", "status_data"]]
        frames.append(pd.DataFrame(kept).assign(tahun_data=year, _order=order))
    values = pd.concat(frames, ignore_index=True).sort_values(["tahun_data", "_order"])
    values = values.drop_duplicates([code, "tahun_data"], keep="last").drop(columns="_order")  # newest import
    geometry = layers[0][1][[code, name, "geometry"]]
    years = sorted({year for year, _ in layers})
    grid = pd.DataFrame([(unit, year) for unit in geometry[code] for year in years], columns=[code, "tahun"])
    carried = pd.merge_asof(
        grid.sort_values("tahun"),
        values,
        left_on="tahun",
        right_on="tahun_data",
        by=code,
        direction="backward",
        tolerance=tolerance,
    )
    carried["status_data"] = carried["status_data"].fillna(NO_DATA)
    origins = zip(carried["tahun_data"], carried["tahun"])
    carried["dibawa"] = [YES if pd.notna(origin) and origin != year else NO for origin, year in origins]
    for column in (*VALUE_FIELDS, "tahun_data"):
        carried[column] = carried[column].astype("Int64")
    series = geometry.merge(carried, on=code, how="right")
    return series.sort_values([code, "tahun"]).reset_index(drop=True)
