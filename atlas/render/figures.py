"""Print-ready figures (the paper's Gambar 1-4) drawn from the atlas's own layers, no basemap.

Each map has a title, a legend with units and "no data", a scale bar, a north arrow, kecamatan
labels that do not collide, the kab/kota outline, and a source line naming every source used.
``figure_*`` functions return a ``Figure`` (matplotlib figure plus what it drew, for checks).
Drawn with matplotlib's object API only: no pyplot state, so that sessions may draw at once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as Drawing
from matplotlib.patches import Patch, Rectangle

from atlas import config, fields
from atlas.analysis.layers import Layers
from atlas.analysis.margin import ACTORS, SCENARIO, SOURCED, load_model, margin_layer
from atlas.atomic import atomic_path
from atlas.config import KOTA_PEKALONGAN
from atlas.data import sources
from atlas.render.classify import NO_CLASS, NO_DATA_COLOUR, Classification, classify, palette_colours
from atlas.render.i18n import citation, t
from atlas.render.maps import MapChoice, classify_layer
from atlas.render.measures import format_value
from atlas.render.presentation import layer_sources

PLOT_CRS = "EPSG:32749"  # UTM 49S: metres, for the scale bar
SURVEY_FILE = config.GEODATA_DIR / "cluster_survey.csv"
FORMATS = ("png", "svg", "pdf")
DPI = 300
VIEW_DPI = 150  # a map saved from the app: sharp on screen and in a report, quick to draw
SIZE = (11.7, 8.3)  # inches, A4 landscape


@dataclass
class Figure:
    """A drawn figure and what it holds, for structural checks."""

    name: str
    figure: Drawing
    polygons: int = 0
    legend: list[str] = field(default_factory=list)
    source_line: str = ""


def new_drawing(size: tuple[float, float]) -> Drawing:
    """A matplotlib figure of its own with an Agg canvas (which label placement measures text on)."""
    drawing = Drawing(figsize=size)
    FigureCanvasAgg(drawing)
    return drawing


def figure_production(layers: Layers, lang: str) -> Figure:
    """Gambar 1: producers per desa/kelurahan, Kota and Kabupaten, with Kota enlarged."""
    return _choropleth_figure("gambar1", layers.desa, layers, "pelaku_usaha", t("fig.g1", lang), lang, kota_inset=True)


def figure_labour(layers: Layers, lang: str) -> Figure:
    """Gambar 2: workers per kelurahan of Kota Pekalongan (as the paper's map)."""
    return _choropleth_figure("gambar2", _kota(layers.desa), layers, "pekerja", t("fig.g2", lang), lang)


def figure_margin(layers: Layers, lang: str, umk_year: int | None = None) -> Figure:
    """Gambar 3: worker wages against owner margins per kelurahan of Kota Pekalongan, and the
    actors' shares of the final price (scenario parts hatched). The UMK year defaults to the
    year of the sourced wage."""
    model = load_model()
    layer = margin_layer(_kota(layers.desa), model, umk_year or model.wage_year)
    cited = {
        f"{value.source.split(':')[0]} ({t(f'actor.{actor}', lang)})"
        for (actor, _), value in model.values.items()
        if value.status == SOURCED
    }
    extra = [*sorted(cited), t("fig.scenario", lang)]
    result = _choropleth_figure(
        "gambar3", layer, layers, "rasio_upah_margin", t("fig.g3", lang), lang, extra_sources=extra
    )
    shares = model.table()["bagian_harga_akhir"] * 100
    chart = result.figure.add_axes((0.76, 0.1, 0.17, 0.3))
    labels = [t(f"actor.{a}", lang) for a in ACTORS] + [t("fig.outside", lang)]
    values = [*shares.reindex(ACTORS), 100 * model.outside_share()]
    scenario = [model.values[(a, "harga_keluar")].status == SCENARIO for a in ACTORS] + [True]
    bars = chart.barh(
        labels,
        values,
        color=["#bdbdbd" if s else "#6a51a3" for s in scenario],
        hatch=["//" if s else "" for s in scenario],
        edgecolor="#444444",
    )
    chart.bar_label(bars, labels=[format_value(v, 1, lang) + " %" for v in values], fontsize=7, padding=2)
    chart.invert_yaxis()
    chart.set_title(t("fig.shares", lang) + "\n//: " + t("status.scenario", lang), fontsize=8, loc="right")
    chart.tick_params(labelsize=7)
    chart.set_xlim(0, max(values) * 1.4)
    chart.spines[["top", "right"]].set_visible(False)
    return result


def figure_survey(layers: Layers, lang: str) -> Figure:
    """Gambar 4: the cluster survey charts, placed on a locator map of Kota Pekalongan."""
    survey = pd.read_csv(SURVEY_FILE)
    kota = _kota(layers.desa).to_crs(PLOT_CRS)
    fig = new_drawing(SIZE)
    ax = fig.add_axes((0.01, 0.07, 0.6, 0.84))
    kota.plot(ax=ax, color="#f0f0f0", edgecolor="#999999", linewidth=0.4)
    _outline(ax, layers, {KOTA_PEKALONGAN})
    kauman = kota[kota["WADMKD"] == "Kauman"]
    kauman.plot(ax=ax, color="#fdae6b", edgecolor="#333333", linewidth=0.8)
    _kecamatan_labels(ax, _kota(layers.kecamatan).to_crs(PLOT_CRS))
    _scale_bar(ax)
    _north_arrow(ax, lang)
    point = kauman.geometry.iloc[0].representative_point()
    answers = [("ya", "fig.yes", "#1b9e77"), ("tidak", "fig.no", "#d95f02"), ("tidak_tahu", "fig.dont_know", "#7570b3")]
    places = {"Kauman": (0.68, 0.55), "Pesindon": (0.68, 0.13)}
    for row in survey.itertuples():
        inset = fig.add_axes((*places[row.klaster], 0.27, 0.28))
        values = [getattr(row, key) for key, _, _ in answers]
        inset.bar([t(label, lang) for _, label, _ in answers], values, color=[c for _, _, c in answers])
        inset.set_ylim(0, 100)
        inset.set_ylabel(t("fig.percent", lang), fontsize=7)
        inset.tick_params(labelsize=7)
        for x, v in enumerate(values):
            inset.text(x, v + 2, f"{v}%", ha="center", fontsize=7)
        title = row.klaster if row.klaster == "Kauman" else t("fig.pesindon", lang)
        inset.set_title(title, fontsize=8)
        if row.klaster == "Kauman":
            ax.annotate(
                "",
                xy=(point.x, point.y),
                xycoords="data",
                xytext=(0.675, 0.69),
                textcoords="figure fraction",
                arrowprops={"arrowstyle": "->", "color": "#333333"},
            )
    ax.set_axis_off()
    fig.suptitle(t("fig.g4", lang), fontsize=12)
    line = _source_line(fig, lang, [survey["sumber"].iloc[0]])
    return Figure(
        "gambar4", fig, polygons=len(kota) + 1, legend=[t(key, lang) for _, key, _ in answers], source_line=line
    )


FIGURES = {"gambar1": figure_production, "gambar2": figure_labour, "gambar3": figure_margin, "gambar4": figure_survey}


def write_figures(layers: Layers, out: str | Path, lang: str, *, formats=FORMATS, dpi: int = DPI) -> list[Path]:
    """Draw every figure in ``lang`` and save it in each format (atomically)."""
    folder = Path(out)
    written = []
    for name, draw in FIGURES.items():
        result = draw(layers, lang)
        for fmt in formats:
            path = folder / f"{name}_{lang}.{fmt}"
            with atomic_path(path) as tmp:
                result.figure.savefig(tmp, dpi=dpi, format=fmt)
            written.append(path)
    return written


def view_png(layer, layers: Layers, choice: MapChoice, dpi: int = VIEW_DPI) -> bytes:
    """The map of the app's current view (its level, field, classes, palette, language) as a PNG
    drawn by the figures engine: title, legend, scale bar, north arrow and sources."""
    title = choice.title or fields.label(choice.field, choice.lang)
    result = _choropleth_figure(
        "peta", layer, layers, choice.field, title, choice.lang, classes=classify_layer(layer, choice)
    )
    buffer = io.BytesIO()
    result.figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _choropleth_figure(
    name,
    layer,
    layers: Layers,
    field_name: str,
    title: str,
    lang: str,
    *,
    extra_sources: Sequence[str] = (),
    kota_inset: bool = False,
    classes: tuple[Classification, list[str]] | None = None,
) -> Figure:
    """A choropleth of ``layer`` (5 quantile classes of YlOrBr unless ``classes`` says otherwise)."""
    fig = new_drawing(SIZE)
    ax = fig.add_axes((0.01, 0.07, 0.6, 0.84))
    projected = layer.to_crs(PLOT_CRS)
    if classes is None:
        result = classify(projected[field_name], "quantiles", 5)
        colours = palette_colours("YlOrBr", max(result.k, 1))
    else:
        result, colours = classes
    fills = [NO_DATA_COLOUR if c == NO_CLASS else colours[c] for c in result.classes]
    codes = set(projected["KDPKAB"])
    drawn = _draw_units(ax, projected, fills, result.classes)
    _outline(ax, layers, codes)
    kecamatan = layers.kecamatan[layers.kecamatan["KDPKAB"].isin(codes)].to_crs(PLOT_CRS)
    _kecamatan_labels(ax, kecamatan)
    _scale_bar(ax)
    _north_arrow(ax, lang)
    ax.set_axis_off()
    if kota_inset:
        inset = fig.add_axes((0.63, 0.47, 0.35, 0.44))
        kota = (projected["KDPKAB"] == KOTA_PEKALONGAN).to_numpy()
        _draw_units(inset, projected[kota], [f for f, k in zip(fills, kota) if k], result.classes[kota])
        _outline(inset, layers, {KOTA_PEKALONGAN})
        _kecamatan_labels(inset, _kota(kecamatan))
        _scale_bar(inset)
        inset.set_title("Kota Pekalongan", fontsize=9)
        inset.set_axis_off()
    decimals = fields.decimals(field_name)
    labels = [
        f"{format_value(low, decimals, lang)} – {format_value(high, decimals, lang)}" for low, high in result.bounds()
    ]
    handles = [Patch(facecolor=c, edgecolor="#555555", label=label) for c, label in zip(colours, labels)]
    handles += [
        Patch(facecolor=NO_DATA_COLOUR, edgecolor="#999999", hatch="....", label=t("no_data", lang)),
        Patch(facecolor="white", edgecolor="#222222", label=t("fig.urban", lang)),
    ]
    if "tingkat" in projected and (projected["tingkat"] == "desa").any():
        handles.append(Patch(facecolor="white", edgecolor="#777777", linestyle=":", label=t("fig.rural", lang)))
    handles.append(Patch(facecolor="none", edgecolor="black", linewidth=1.6, label=t("fig.outline", lang)))
    unit = fields.unit(field_name, lang)
    legend = fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.63, 0.44 if kota_inset else 0.9),
        fontsize=8,
        title_fontsize=9,
        frameon=False,
        title=fields.label(field_name, lang) + (f" ({unit})" if unit else ""),
    )
    fig.suptitle(title, fontsize=13)
    line = _source_line(fig, lang, [*layer_sources(layer, lang), *extra_sources])
    return Figure(name, fig, polygons=drawn, legend=[text.get_text() for text in legend.get_texts()], source_line=line)


def _draw_units(ax, projected, fills, classes) -> int:
    """Fill every unit; kelurahan with a solid, desa with a dotted outline; no data hatched."""
    urban = (
        (projected["tingkat"] == "kelurahan").to_numpy() if "tingkat" in projected else np.ones(len(projected), bool)
    )
    fills = list(fills)
    for mask, edge, width, style in ((urban, "#222222", 0.5, "-"), (~urban, "#777777", 0.35, ":")):
        if mask.any():
            projected[mask].plot(
                ax=ax, color=[f for f, m in zip(fills, mask) if m], edgecolor=edge, linewidth=width, linestyle=style
            )
    missing = classes == NO_CLASS
    if missing.any():
        projected[missing].plot(ax=ax, facecolor="none", edgecolor="#999999", hatch="....", linewidth=0)
    return len(projected)


def _kota(layer):
    return layer[layer["KDPKAB"] == KOTA_PEKALONGAN]


def _outline(ax, layers: Layers, codes: set[str]) -> None:
    """Kab/kota outline: the outer rings of the union of its villages (gaps inside are not drawn)."""
    units = layers.kabkota[layers.kabkota["KDPKAB"].isin(codes)].to_crs(PLOT_CRS)
    rings = shapely.get_exterior_ring(shapely.get_parts(units.geometry.values))
    gpd.GeoSeries(rings, crs=PLOT_CRS).plot(ax=ax, color="black", linewidth=1.4)


def _kecamatan_labels(ax, kecamatan) -> None:
    """Kecamatan names at a point inside each, moved or left out where they would overlap."""
    renderer = ax.figure.canvas.get_renderer()
    placed: list = []
    for row in kecamatan.sort_values("luas_km2", ascending=False).itertuples():
        point = row.geometry.representative_point()
        for dx, dy in ((0, 0), (0, 12), (0, -12), (18, 0), (-18, 0)):
            text = ax.annotate(
                row.WADMKC,
                (point.x, point.y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=6.5,
                color="#111111",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
            )
            box = text.get_window_extent(renderer).expanded(1.05, 1.1)
            if not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            text.remove()


def _scale_bar(ax) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = 10_000 if (x1 - x0) > 25_000 else 2_000
    x, y = x0 + 0.05 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    height = 0.008 * (y1 - y0)
    for i in range(2):
        ax.add_patch(
            Rectangle(
                (x + i * length / 2, y),
                length / 2,
                height,
                facecolor="black" if i == 0 else "white",
                edgecolor="black",
                linewidth=0.6,
            )
        )
    for position, label in ((0, "0"), (length, f"{length // 1000} km")):
        ax.text(x + position, y + 1.8 * height, label, ha="center", fontsize=7)


def _north_arrow(ax, lang: str) -> None:
    ax.annotate(
        t("fig.north", lang),
        xy=(0.95, 0.95),
        xytext=(0.95, 0.86),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=11,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 3, "headwidth": 9},
    )


def _source_line(fig, lang: str, used: list[str]) -> str:
    names = list(
        dict.fromkeys(
            [*(citation(s, lang) for s in used), t("fig.boundaries", lang) + f" @ {sources.UPSTREAM_COMMIT[:7]}"]
        )
    )
    line = t("fig.sources", lang, sources="; ".join(names))
    fig.text(0.03, 0.015, line, fontsize=6, wrap=True, ha="left", va="bottom", color="#333333")
    return line
