"""The environment view: upload a GeoTIFF, get exact statistics per unit, the raster map beside
the batik map, a scatter plot with the correlation, and the joined layer as a download."""

from __future__ import annotations

import dataclasses
import functools

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
from atlas.errors import AtlasError
from atlas.io.export import product_bytes
from atlas.io.products import overlay_product
from atlas.render.i18n import t
from atlas.render.measures import all_fields
from atlas.web import cache, controls, sources_panel, widgets

RASTER_PALETTE = "viridis"


def render() -> None:
    """Draw the environment page."""
    totals, _, _ = cache.reference_tables()
    chosen = controls.sidebar("environment", tuple(all_fields()), cache.datasets())
    lang, level, region, dataset = chosen.lang, chosen.level, chosen.region, chosen.dataset
    layers = cache.layers(region, dataset)
    st.caption(t("env.help", lang, mb=MAX_UPLOAD_BYTES // 2**20))
    upload = st.file_uploader(t("env.upload", lang), type=["tif", "tiff"], key="raster")
    if upload is None:
        st.info(t("env.waiting", lang))
    else:
        try:
            raster = stored_upload(upload.getvalue(), upload.name)
            info = raster_info(raster, name=upload.name)
            options = st.columns(3)
            band = options[0].selectbox(t("env.band", lang), list(range(1, info.bands + 1)), key="band")
            stat = options[1].selectbox(
                t("env.stat", lang), STATISTICS, format_func=lambda s: t(f"stat.{s}", lang), key="stat"
            )
            categorical = options[2].checkbox(t("env.categorical", lang), key="categorical")
            key = (str(raster), band, categorical, region, level, cache.dataset_files(dataset))
            bar = st.progress(0.0, text=t("env.progress", lang))

            def report(done: int, total: int) -> None:
                bar.progress(done / total, text=t("env.progress", lang))

            joined = cache.overlay(key, layers, level, raster, band, categorical, report, upload.name)
            bar.empty()
        except AtlasError as error:
            st.error(t("env.error", lang))
            st.code(str(error), language=None)
        else:
            _results(joined, chosen, stat, band)
            product = overlay_product(layers, level, joined, overlay_metadata(raster, band, categorical, upload.name))
            widgets.download_button(
                t("env.download", lang) + " (GeoPackage)",
                functools.partial(product_bytes, product, level, "gpkg"),
                product.file_name(level, "gpkg", region),
                "gpkg",
                key="dl_env",
            )
    sources_panel.render(layers, level, totals, lang, expanded=False)


def _results(joined, chosen: controls.Controls, stat: str, band: int) -> None:
    """Coverage, the two maps side by side, the scatter plot and the correlation."""
    lang, region, level, field = chosen.lang, chosen.region, chosen.level, chosen.field
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
    env_title = t("env.map_title", lang, stat=t(f"stat.{stat}", lang), band=band)
    env_column, batik_column = st.columns(2)
    with env_column:
        env_choice = dataclasses.replace(chosen.choice, field=f"r_{stat}", palette=RASTER_PALETTE, title=env_title)
        widgets.show_map(joined, region, env_choice, key=f"env_{region}_{level}")
    with batik_column:
        widgets.show_map(joined, region, chosen.choice, key=f"batik_{region}_{level}")
    r, n = correlation(joined, f"r_{stat}", field)
    batik_label = fields.label(field, lang)
    st.subheader(t("env.scatter", lang, batik=batik_label, stat=t(f"stat.{stat}", lang)))
    st.scatter_chart(
        pd.DataFrame({env_title: joined[f"r_{stat}"], batik_label: joined[field]}).astype(float).dropna(),
        x=env_title,
        y=batik_label,
    )
    if r is None:
        st.info(t("env.no_correlation", lang, n=n))
    else:
        st.metric(t("env.correlation", lang, n=n), f"{r:.2f}")
