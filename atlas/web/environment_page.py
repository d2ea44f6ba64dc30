"""The environment view: upload a GeoTIFF or a vector file, get exact statistics per unit, the
environmental map beside the batik map, a scatter plot with the correlation, the unit's details
on click, and the joined layer as a download. An upload changes no stored data."""

from __future__ import annotations

import dataclasses
import functools

import geopandas as gpd
import pandas as pd
import streamlit as st

from atlas import fields
from atlas.analysis.overlay import (
    MAX_UPLOAD_BYTES,
    STATISTICS,
    correlation,
    overlay_metadata,
    raster_info,
    stored_upload,
)
from atlas.analysis.overlay_years import band_years
from atlas.analysis.rasters import is_raster_file
from atlas.analysis.vector_overlay import FILLS, vector_metadata
from atlas.analysis.vectors import UPLOAD_SUFFIXES, VectorLayer, stored_vector_upload
from atlas.errors import AtlasError
from atlas.io.export import product_bytes
from atlas.io.products import overlay_product
from atlas.render.i18n import t
from atlas.render.measures import all_fields, format_value
from atlas.render.presentation import scatter_chart
from atlas.web import cache, controls, sources_panel, widgets
from atlas.web.guard import show_error
from atlas.web.uploads import session_folder

RASTER_PALETTE = "viridis"
#: What each kind of vector layer can be mapped by (points add their attribute's statistics).
VECTOR_MEASURES = {
    "polygon": ("v_persen_luas", "v_luas_km2"),
    "line": ("v_panjang_km", "v_jarak_garis_km"),
    "point": ("v_jumlah_titik", "v_jarak_titik_km"),
}
ATTRIBUTE_MEASURES = ("v_nilai", "v_rerata", "v_min", "v_maks")


def render() -> None:
    """Draw the environment page."""
    totals, _, _ = cache.reference_tables()
    chosen = controls.sidebar("environment", tuple(all_fields()), cache.datasets())
    layers = cache.layers(chosen.region, chosen.dataset)
    st.caption(t("env.help", chosen.lang, mb=MAX_UPLOAD_BYTES // 2**20))
    st.caption(t("env.vector_help", chosen.lang))
    upload = st.file_uploader(t("env.upload", chosen.lang), type=["tif", "tiff", *UPLOAD_SUFFIXES], key="raster")
    if upload is None:
        st.info(t("env.waiting", chosen.lang))
    elif is_raster_file(upload.name):
        _raster(upload, chosen, layers)
    else:
        _vector(upload, chosen, layers)
    sources_panel.render(layers, chosen.level, totals, chosen.lang, expanded=False)


def _raster(upload, chosen: controls.Controls, layers) -> None:
    lang, level, region = chosen.lang, chosen.level, chosen.region
    try:
        raster = stored_upload(upload.getvalue(), upload.name, session_folder())
        info = raster_info(raster, name=upload.name)
        options = st.columns(3)
        band = options[0].selectbox(t("env.band", lang), list(range(1, info.bands + 1)), key="band")
        categorical = options[2].checkbox(t("env.categorical", lang), key="categorical")
        key = (str(raster), band, categorical, region, level, cache.stored_state(chosen.dataset))
        with st.spinner(t("env.progress", lang)):  # no element inside the cached call: it would be replayed
            joined = cache.overlay(key, layers, level, raster, band, categorical, upload.name)
    except AtlasError as error:
        show_error(t("env.error", lang), error, lang)
        return
    counts = joined["r_cakupan"].value_counts()
    st.caption(
        t(
            "env.coverage",
            lang,
            full=counts.get("full", 0),
            partial=counts.get("partial", 0),
            none=counts.get("none", 0),
        )
    )
    if categorical:  # class shares: a mean of class codes would mean nothing
        shares = [c for c in joined.columns if c.startswith("r_frac_")]
        env_field = options[1].selectbox(
            t("env.class_share", lang), shares, format_func=lambda f: fields.label(f, lang), key="class_share"
        )
        title = f"{fields.label(env_field, lang)}, band {band}"
    else:
        stat = options[1].selectbox(
            t("env.stat", lang), STATISTICS, format_func=lambda s: t(f"stat.{s}", lang), key="stat"
        )
        env_field, title = f"r_{stat}", t("env.map_title", lang, stat=t(f"stat.{stat}", lang), band=band)
    source = t("env.source_raster", lang, name=upload.name, band=band, crs=info.crs)
    if info.bands > 1 and not categorical:
        yearly = _band_years(raster, upload.name, chosen, stat)
        if yearly is not None:
            joined, title = yearly
            source = t("env.source_raster_years", lang, name=upload.name, crs=info.crs)
    _results(joined, chosen, env_field, title, source)
    meta = overlay_metadata(raster, band, categorical, upload.name)
    _download(overlay_product(layers, level, joined, meta), chosen)


def _band_years(raster, name: str, chosen: controls.Controls, stat: str) -> tuple[gpd.GeoDataFrame, str] | None:
    """When the visitor says the bands are years: one year's statistics beside that year's batik
    values (``analysis.overlay_years``), the year chosen here; None while they are not years."""
    lang = chosen.lang
    text = st.text_input(t("env.band_years", lang), key="band_years", placeholder="2016, 2017, 2018")
    if not text.strip():
        return None
    try:
        given = [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
        years = band_years(raster, given, name)
    except ValueError as error:  # not numbers, or an AtlasError (OptionError is a ValueError)
        show_error(t("env.error", lang), error, lang)
        return None
    year = st.select_slider(t("year", lang), list(years.values()), value=list(years.values())[-1], key="env_year")
    key = (str(raster), tuple(years.items()), chosen.region, chosen.level, chosen.tolerance, cache.store_signature())
    with st.spinner(t("env.progress", lang)):
        rows = cache.yearly_overlay(key, chosen.region, chosen.level, raster, years, name, chosen.tolerance)
    shown = rows[rows["tahun"] == year]
    carried = int((shown["dibawa"] == "yes").sum())
    if carried:
        st.caption(t("env.year_carried", lang, n=carried))
    return shown, t("env.map_title_year", lang, stat=t(f"stat.{stat}", lang), year=year)


def _vector(upload, chosen: controls.Controls, layers) -> None:
    lang, level, region = chosen.lang, chosen.level, chosen.region
    try:
        path = stored_vector_upload(upload.getvalue(), upload.name, session_folder())
        vector = cache.vector_layer(str(path), upload.name)
        attribute, classes, fill = _vector_options(vector, lang)
        key = (str(path), attribute, classes, fill, region, level, cache.stored_state(chosen.dataset))
        joined = cache.vector_overlay(key, layers, level, vector, (attribute, classes, fill))
    except AtlasError as error:
        show_error(t("env.vector_error", lang), error, lang)
        return
    kind = t(f"kind.{vector.kind}", lang)
    summary = {"features": len(vector.frame), "kind": kind, "name": vector.name, "crs": vector.crs}
    st.caption(t("env.vector_summary", lang, repaired=vector.repaired, **summary))
    measures = [*VECTOR_MEASURES[vector.kind], *(ATTRIBUTE_MEASURES if attribute else ())]
    measures += [c for c in joined.columns if c.startswith("v_kelas_")]
    measure = st.selectbox(
        t("env.vector_measure", lang), measures, format_func=lambda f: fields.label(f, lang), key="vector_measure"
    )
    source = t("env.source_vector", lang, name=vector.name, crs=vector.crs)
    _results(joined, chosen, measure, fields.label(measure, lang), source, features=vector.frame.geometry)
    meta = vector_metadata(vector, attribute, classes, fill)
    _download(overlay_product(layers, level, joined, meta), chosen)


def _vector_options(vector: VectorLayer, lang: str) -> tuple[str | None, str | None, str]:
    """The attribute (points), the class attribute (polygons) and the fill (points) chosen."""
    columns = [c for c in vector.frame.columns if c != vector.frame.geometry.name]
    nothing = t("env.nothing", lang)
    if vector.kind == "point":
        numeric = [c for c in columns if pd.api.types.is_numeric_dtype(vector.frame[c])]
        left, right = st.columns(2)
        attribute = left.selectbox(t("env.attribute", lang), [None, *numeric], format_func=lambda c: c or nothing)
        fill = right.selectbox(t("env.fill", lang), FILLS, format_func=lambda f: t(f"fill.{f}", lang), key="fill")
        return attribute, None, fill if attribute else "none"
    if vector.kind == "polygon":
        classes = st.selectbox(t("env.classes", lang), [None, *columns], format_func=lambda c: c or nothing)
        return None, classes, "none"
    return None, None, "none"


def _results(
    joined,
    chosen: controls.Controls,
    env_field: str,
    env_title: str,
    source: str,
    features: gpd.GeoSeries | None = None,
) -> None:
    """The two maps side by side, the details of the unit clicked, the scatter and the correlation."""
    lang, region, level, field = chosen.lang, chosen.region, chosen.level, chosen.field
    env_column, batik_column = st.columns(2)
    with env_column:
        env_choice = dataclasses.replace(chosen.choice, field=env_field, palette=RASTER_PALETTE, title=env_title)
        key = f"env_{region}_{level}_{env_field}"
        selected = widgets.show_map(
            joined, region, env_choice, key=key, features=features, sources=[source], sync="environment"
        )
    with batik_column:
        widgets.show_map(
            joined, region, chosen.choice, key=f"batik_{region}_{level}", clickable=False, sync="environment"
        )
    widgets.show_details(joined, level, selected, lang, cache.unit_figures())
    r, n = correlation(joined, env_field, field)
    batik_label = fields.label(field, lang)
    st.subheader(t("env.scatter", lang, batik=batik_label, stat=env_title))
    st.altair_chart(scatter_chart(joined, level, env_field, field, env_title, lang, selected), width="stretch")
    if r is None:
        st.info(t("env.no_correlation", lang, n=n))
    else:
        st.metric(t("env.correlation", lang, n=n), format_value(r, 2, lang))


def _download(product, chosen: controls.Controls) -> None:
    widgets.download_button(
        t("env.download", chosen.lang) + " (GeoPackage)",
        functools.partial(product_bytes, product, chosen.level, "gpkg"),
        product.file_name(chosen.level, "gpkg", chosen.region),
        "gpkg",
        key="dl_env",
    )
