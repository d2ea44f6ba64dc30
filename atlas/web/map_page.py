"""The production and labour views: the choropleth, the clicked unit's details, the table,
downloads, and optionally the change between two dataset versions."""

from __future__ import annotations

import dataclasses
import functools

import streamlit as st

from atlas import fields
from atlas.analysis.change import change_layer
from atlas.io.export import FORMATS, export_bytes
from atlas.render.i18n import t
from atlas.render.measures import VIEWS
from atlas.render.presentation import view_table
from atlas.web import cache, controls, sources_panel, widgets


def render(view: str) -> None:
    """Draw the ``view`` ('production' or 'labour') page."""
    totals, _, _ = cache.reference_tables()
    chosen = controls.sidebar(view, VIEWS[view], cache.datasets(), compare=True)
    lang, level, region = chosen.lang, chosen.level, chosen.region
    layers = cache.layers(region, chosen.dataset)
    layer, choice = layers.level(level), chosen.choice
    if chosen.baseline:
        layer = change_layer(cache.layers(region, chosen.baseline), layers, level, chosen.field)
        title = t(
            "change.title",
            lang,
            measure=fields.label(chosen.field, lang),
            start=chosen.baseline.year,
            end=chosen.dataset.year,
        )
        choice = dataclasses.replace(choice, title=title)
    map_column, details_column = st.columns([3, 1])
    with map_column:
        selected = widgets.show_map(layer, region, choice, key=f"map_{region}_{level}")
    with details_column:
        widgets.show_details(layers.level(level), level, selected, lang)
    st.subheader(t("table", lang))
    st.dataframe(view_table(layer, level, view, lang), hide_index=True, width="stretch")
    st.markdown(f"**{t('downloads', lang)}**")
    for column, fmt in zip(st.columns(len(FORMATS)), FORMATS):
        widgets.download_button(
            t(f"download.{fmt}", lang),
            functools.partial(export_bytes, layers, level, fmt),
            f"atlas_batik_{level}_{region}_{chosen.dataset.year}",
            fmt,
            key=f"dl_{fmt}",
            container=column,
        )
    sources_panel.render(layers, level, totals, lang, expanded=True)
