"""Change of one measure between two dataset versions, for the same units."""

from __future__ import annotations

import geopandas as gpd

from atlas.analysis.layers import Layers
from atlas.fields import CODE_FIELD


def change_layer(before: Layers, after: Layers, level: str, field: str) -> gpd.GeoDataFrame:
    """``after`` minus ``before`` in ``field`` per unit; null where either has no value.

    Columns: the unit's own fields from ``after``, ``{field}`` replaced by the difference, and
    ``nilai_awal`` / ``nilai_akhir`` / ``tahun_awal`` / ``tahun_akhir`` / ``sumber_awal``.
    """
    key = CODE_FIELD[level]
    old = before.level(level).set_index(key)
    layer = after.level(level).copy()
    start = layer[key].map(old[field]).astype("Float64")
    end = layer[field].astype("Float64")
    layer["nilai_awal"], layer["nilai_akhir"] = start, end
    layer[field] = (end - start).astype(float)
    layer["tahun_awal"], layer["tahun_akhir"] = before.dataset.year, after.dataset.year
    layer["sumber_awal"] = before.dataset.source
    layer["status_data"] = layer["status_data"].where(layer[field].notna(), "no data")
    return layer
