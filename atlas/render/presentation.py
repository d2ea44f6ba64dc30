"""Tables, unit details, downloads and source lists of a layer, as the app and CLI show them."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from atlas.render.i18n import field_label, t
from atlas.analysis.layers import CODE_FIELD, NAME_FIELD
from atlas.render.measures import VIEWS, all_fields, format_value, measure

TABLE_CONTEXT = {
    "desa": ["WADMKD", "tingkat", "WADMKC", "WADMKK"],
    "kecamatan": ["WADMKC", "WADMKK"],
    "kabkota": ["WADMKK"],
}
DETAIL_EXTRA = {"desa": ["klaster"], "kecamatan": ["jumlah_unit", "unit_berdata"],
                "kabkota": ["jumlah_unit", "unit_berdata"]}


def view_table(layer: gpd.GeoDataFrame, level: str, view: str, lang: str) -> pd.DataFrame:
    """Rows of the current view: code, names, the view's measures, status, year and source."""
    measures = [m.field for m in VIEWS[view]]
    columns = [CODE_FIELD[level], *TABLE_CONTEXT[level], *measures, "status_data", "tahun", "sumber"]
    table = pd.DataFrame(layer[columns]).copy()
    table["status_data"] = table["status_data"].map(lambda s: t(f"status.{s}", lang))
    for field in measures:
        table[field] = table[field].astype("Float64").round(measure(field).decimals)
    return table.rename(columns={c: field_label(c, lang) for c in columns})


def totals_table(totals: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Published totals side by side, one row per figure and source, with translated headers."""
    columns = ["wilayah", "indikator", "nilai", "perkiraan", "tahun", "sumber"]
    table = totals[columns].copy()
    table["perkiraan"] = table["perkiraan"].map(lambda v: t(f"approx.{v}", lang))
    return table.rename(columns={c: field_label(c, lang) for c in columns})


def unit_details(layer: gpd.GeoDataFrame, level: str, code: str, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs describing one unit, for the details panel."""
    key = CODE_FIELD[level]
    rows = layer[layer[key] == code]
    if rows.empty:
        return []
    row = rows.iloc[0]
    fields = [key, *TABLE_CONTEXT[level], "luas_km2",
              *all_fields(),
              *DETAIL_EXTRA[level], "status_data", "tahun", "sumber"]
    details = []
    for field in fields:
        value = row[field]
        if pd.isna(value):
            shown = t("no_data", lang)
        elif field == "status_data":
            shown = t(f"status.{value}", lang)
        elif field == "luas_km2":
            shown = format_value(value, 2, lang)
        elif field in ("tahun", key) or isinstance(value, str):
            shown = str(value)
        else:
            decimals = measure(field).decimals if field in all_fields() else 0
            shown = format_value(value, decimals, lang)
        details.append((field_label(field, lang), shown))
    return details


def unit_name(layer: gpd.GeoDataFrame, level: str, code: str) -> str:
    """Display name of one unit."""
    rows = layer[layer[CODE_FIELD[level]] == code]
    return str(rows.iloc[0][NAME_FIELD[level]]) if len(rows) else code


def layer_sources(layer: gpd.GeoDataFrame) -> list[str]:
    """Distinct count sources behind a layer's values."""
    values = layer["sumber"].dropna().astype(str)
    return list(dict.fromkeys(s for value in values for s in value.split("; ")))
