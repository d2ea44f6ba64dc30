"""The sources panel under every view: count sources, the crosswalk, published totals side by
side, figures published per unit by other definitions, and the boundary files."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.analysis.layers import Layers
from atlas.data import sources
from atlas.render.i18n import t
from atlas.render.presentation import layer_sources, totals_table, unit_figures_table
from atlas.web import cache, widgets


def render(layers: Layers, level: str, totals: pd.DataFrame, lang: str, *, expanded: bool) -> None:
    """An expander listing every source behind what the page shows."""
    with st.expander(t("sources", lang), expanded=expanded):
        st.markdown(f"**{t('sources.counts', lang)}**")
        counted = layer_sources(layers.level(level), lang)
        if counted:
            st.table(pd.DataFrame({t("sources.counts", lang): counted}))  # text, never markup
        else:
            st.caption(t("sources.no_counts", lang))
        st.caption(t("sources.crosswalk", lang))
        st.markdown(f"**{t('sources.totals', lang)}**")
        widgets.show_table(totals_table(totals, lang))
        st.markdown(f"**{t('sources.unit_figures', lang)}**")
        widgets.show_table(unit_figures_table(cache.unit_figures(), lang))
        st.caption(t("sources.boundaries", lang, commit=sources.UPSTREAM_COMMIT[:12]))
