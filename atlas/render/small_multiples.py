"""The same map for several years side by side with one legend (small multiples): classes are
computed over every shown year together, so one colour means one value in every panel; a value
carried from an earlier year is hatched. Drawn with matplotlib's object API (no pyplot state),
so sessions may draw at once."""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from atlas import fields
from atlas.analysis.series import YES
from atlas.atomic import atomic_path
from atlas.errors import OptionError
from atlas.render.classify import NO_CLASS, NO_DATA_COLOUR, classify, palette_colours
from atlas.render.i18n import citation, t
from atlas.render.measures import format_value

PLOT_CRS = "EPSG:32749"
FORMATS = ("png", "svg", "pdf")
DPI = 300
CLASSES, PALETTE = 5, "YlOrBr"


def small_multiples(series: gpd.GeoDataFrame, field_name: str, years: list[int], lang: str) -> Figure:
    """Panels of ``field_name`` for ``years`` from a unit series (``atlas.analysis.series``)."""
    missing = sorted(set(years) - set(series["tahun"]))
    if missing or not years:
        have = ", ".join(map(str, sorted(set(series["tahun"]))))
        raise OptionError(f"no data for the year(s) {missing or years}; years with data: {have}")
    shown = series[series["tahun"].isin(years)].to_crs(PLOT_CRS)
    result = classify(shown[field_name], "quantiles", CLASSES)  # over every shown year together
    colours = palette_colours(PALETTE, max(result.k, 1))
    fills = [NO_DATA_COLOUR if c == NO_CLASS else colours[c] for c in result.classes]
    shown = shown.assign(_fill=fills)
    figure = Figure(figsize=(4.2 * len(years) + 2.6, 5.2))
    width = 0.78 / len(years)
    for number, year in enumerate(years):
        ax = figure.add_axes((0.01 + number * width, 0.12, width - 0.01, 0.76))
        panel = shown[shown["tahun"] == year]
        panel.plot(ax=ax, color=panel["_fill"], edgecolor="#444444", linewidth=0.4)
        carried = panel[panel["dibawa"] == YES]
        if len(carried):
            carried.plot(ax=ax, facecolor="none", edgecolor="#222222", hatch="////", linewidth=0.8)
        ax.set_title(str(year), fontsize=12)
        ax.set_axis_off()
    decimals = fields.decimals(field_name)
    labels = [f"{format_value(lo, decimals, lang)} – {format_value(hi, decimals, lang)}" for lo, hi in result.bounds()]
    handles = [Patch(facecolor=c, edgecolor="#555555", label=label) for c, label in zip(colours, labels)]
    handles += [
        Patch(facecolor=NO_DATA_COLOUR, edgecolor="#999999", label=t("no_data", lang)),
        Patch(facecolor="white", edgecolor="#222222", hatch="////", label=t("series.carried_legend", lang)),
    ]
    unit = fields.unit(field_name, lang)
    figure.legend(
        handles=handles,
        loc="center left",
        bbox_to_anchor=(0.8, 0.5),
        fontsize=8,
        title=fields.label(field_name, lang) + (f" ({unit})" if unit else ""),
        title_fontsize=9,
        frameon=False,
    )
    figure.suptitle(t("series.multiples_title", lang, measure=fields.label(field_name, lang)), fontsize=13)
    used = sorted({s for s in shown["sumber"].dropna()})
    figure.text(
        0.01,
        0.02,
        t("series.multiples_note", lang)
        + " "
        + t("fig.sources", lang, sources="; ".join(citation(s, lang) for s in used)),
        fontsize=6,
        wrap=True,
        color="#333333",
    )
    return figure


def write_small_multiples(
    series: gpd.GeoDataFrame, years: list[int], out: str | Path, lang: str, *, formats=FORMATS
) -> list[Path]:
    """Producers and workers for ``years``, in ``lang``, in each format (atomically)."""
    written = []
    for field_name in ("pelaku_usaha", "pekerja"):
        figure = small_multiples(series, field_name, years, lang)
        for fmt in formats:
            path = Path(out) / f"perkembangan_{field_name}_{lang}.{fmt}"
            with atomic_path(path) as tmp:
                figure.savefig(tmp, format=fmt, dpi=DPI)
            written.append(path)
    return written


def small_multiples_png(
    series: gpd.GeoDataFrame, field_name: str, years: list[int], lang: str, dpi: int = 110
) -> bytes:
    """The small multiples as a PNG for the app."""
    buffer = io.BytesIO()
    small_multiples(series, field_name, years, lang).savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
