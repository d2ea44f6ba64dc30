"""A raster whose bands are years (a land-cover or flood series): per unit and year, the band's
statistics beside the batik values of the same year, so that environment and batik pair year by
year.

Each band's year comes from the caller (``--band-years 2016,2017,...``) or from the band
descriptions when every band is named by a four-digit year. The batik value of a year is that
year's own, or the closest earlier year's within the tolerance (``analysis.series``), marked
``dibawa``; beyond it, none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from atlas import fields
from atlas.analysis.layers import build_layers
from atlas.analysis.overlay import STATISTICS, overlay_layer
from atlas.analysis.rasters import open_raster
from atlas.analysis.series import NO, TOLERANCE_YEARS, VALUE_FIELDS, YES, unit_series
from atlas.data.datasets import latest_dataset, list_datasets
from atlas.data.values import year_problem
from atlas.errors import OptionError, RasterError
from atlas.fields import CODE_FIELD

YEAR = re.compile(r"^\s*(\d{4})\s*$")


def band_years(raster: str | Path, given: list[int] | None = None, name: str | None = None) -> dict[int, int]:
    """Band number -> year: ``given`` (one year per band) or the bands' descriptions."""
    with open_raster(raster, name) as src:
        count, descriptions = src.count, list(src.descriptions)
    label = name or Path(raster).name
    if given:
        if len(given) != count:
            raise OptionError(f"--band-years names {len(given)} years but {label} has {count} bands: one year per band")
        years = list(given)
    else:
        found = [YEAR.match(d or "") for d in descriptions]
        if not all(found):
            raise RasterError(
                f"{label}: its bands are not named by year ({descriptions}); give them: --band-years 2016,2017,..."
            )
        years = [int(m.group(1)) for m in found if m]
    problems = [f"{year} {year_problem(year)}" for year in years if year_problem(year)]
    if problems or len(set(years)) != len(years):
        raise OptionError(f"band years {years}: " + ("; ".join(problems) or "a year is named twice"))
    return {band: year for band, year in enumerate(years, start=1)}


def yearly_overlay(
    region: str,
    level: str,
    raster: str | Path,
    years: dict[int, int],
    stats: tuple[str, ...] = STATISTICS,
    *,
    tolerance: int = TOLERANCE_YEARS,
    name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> gpd.GeoDataFrame:
    """One row per unit and band year: the raster statistics (``r_*``), ``tahun``, and the batik
    values of that year (``tahun_data``, ``dibawa`` as in the series)."""
    code = CODE_FIELD[level]
    layers = build_layers(region, dataset=latest_dataset(list_datasets()))
    frames = []
    for band, year in years.items():
        joined = overlay_layer(layers, level, raster, band, stats, progress=progress, name=name)
        identity = [c for c in joined.columns if fields.is_known(c) and fields.field(c).group == "identity"]
        statistics = [c for c in joined.columns if c.startswith("r_")]
        frames.append(joined[[*identity, *statistics, "geometry"]].assign(tahun=year))
    stacked = pd.concat(frames, ignore_index=True)
    own = unit_series(region, level, tolerance)
    own = own[own["dibawa"] == NO].dropna(subset=["tahun_data"])[[code, *VALUE_FIELDS, "sumber", "tahun_data"]]
    paired = pd.merge_asof(
        stacked.sort_values("tahun"),
        own.sort_values("tahun_data").astype({"tahun_data": "int64"}),
        left_on="tahun",
        right_on="tahun_data",
        by=code,
        direction="backward",
        tolerance=tolerance,
    )
    paired["dibawa"] = [
        YES if pd.notna(origin) and origin != year else NO
        for origin, year in zip(paired["tahun_data"], paired["tahun"])
    ]
    for column in (*VALUE_FIELDS, "tahun_data"):
        paired[column] = paired[column].astype("Int64")
    result = gpd.GeoDataFrame(paired.sort_values([code, "tahun"]).reset_index(drop=True), geometry="geometry")
    return result.set_crs(layers.level(level).crs, allow_override=True)
