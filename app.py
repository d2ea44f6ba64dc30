"""Streamlit front of the Batik Atlas: arranges widgets and calls into ``atlas``."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas import i18n, sources
from atlas.classify import PALETTES, SCHEMES, parse_breaks
from atlas.errors import OptionError
from atlas.indicators import load_totals
from atlas.layers import CODE_FIELD, LEVELS, build_layers
from atlas.maps import BASEMAPS, MapChoice, build_map
from atlas.measures import VIEWS
from atlas.presentation import (csv_bytes, geojson_bytes, layer_sources, totals_table,
                                unit_details, unit_name, view_table)
from atlas.topology import browser_topology

st.set_page_config(page_title="Atlas Batik Pekalongan", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner=False)
def layers_for(region: str):
    """Layers are built once per server and region (from the boundary cache)."""
    return build_layers(region)


@st.cache_resource(show_spinner=False)
def topology_for(region: str, level: str) -> dict:
    """Simplified shared-topology geometry, once per server, region and level."""
    return browser_topology(layers_for(region).level(level), CODE_FIELD[level])


@st.cache_data(show_spinner=False)
def downloads_for(region: str, level: str) -> tuple[bytes, bytes]:
    layer = layers_for(region).level(level)
    return geojson_bytes(layer, level), csv_bytes(layer, level)


with st.sidebar:
    lang = st.radio("Bahasa / Language", i18n.LANGUAGES, horizontal=True,
                    format_func={"id": "Bahasa Indonesia", "en": "English"}.get, key="lang")
    t = lambda key, **values: i18n.t(key, lang, **values)  # noqa: E731
    view = st.radio(t("view"), list(VIEWS), format_func=lambda v: t(f"view.{v}"),
                    horizontal=True, key="view")
    field = st.selectbox(t("measure"), [m.field for m in VIEWS[view]],
                         format_func=lambda f: t(f"measure.{f}"), key=f"measure_{view}")
    level = st.radio(t("level"), LEVELS, format_func=lambda v: t(f"level.{v}"), key="level")
    region = st.radio(t("region"), ["all", "kota", "kabupaten"],
                      format_func=lambda v: t(f"region.{v}"), key="region")
    scheme = st.selectbox(t("scheme"), SCHEMES, format_func=lambda v: t(f"scheme.{v}"), key="scheme")
    k = st.slider(t("classes"), 2, 9, 5, key="k")
    breaks_text = st.text_input(t("breaks"), "10, 50, 100", key="breaks") if scheme == "user_defined" else ""
    palette = st.selectbox(t("palette"), list(PALETTES), key="palette")
    basemap = st.radio(t("basemap"), BASEMAPS, format_func=lambda v: t(f"basemap.{v}"), key="basemap")

st.title(t("title"))
st.caption(t("subtitle"))
with st.expander(t("help")):
    st.markdown(t("help.text"))

layers = layers_for(region)
layer = layers.level(level)
try:
    breaks = parse_breaks(breaks_text)
except OptionError:
    st.sidebar.error(t("error.breaks", text=breaks_text))
    breaks = ()
choice = MapChoice(level=level, field=field, scheme=scheme, k=k, palette=palette, lang=lang,
                   basemap=basemap, breaks=breaks)
fmap = build_map(layer, topology_for(region, level), choice, sources=layer_sources(layer))

map_column, details_column = st.columns([3, 1])
with map_column:
    clicked = st_folium(fmap, height=600, use_container_width=True,
                        returned_objects=["last_active_drawing"], key=f"map_{region}_{level}")
selected = ((clicked or {}).get("last_active_drawing") or {}).get("properties", {}).get("code")
with details_column:
    st.subheader(t("details"))
    details = unit_details(layer, level, selected, lang) if selected else []
    if details:
        st.markdown(f"**{unit_name(layer, level, selected)}**")
        st.table(pd.DataFrame(details, columns=[t("details.field"), t("details.value")]).set_index(t("details.field")))
    else:
        st.info(t("details.hint"))

st.subheader(t("table"))
st.dataframe(view_table(layer, level, view, lang), hide_index=True, width="stretch")
geojson, csv = downloads_for(region, level)
left, right = st.columns(2)
left.download_button(t("download.geojson"), geojson, f"atlas_batik_{level}_{region}.geojson",
                     "application/geo+json", key="dl_geojson")
right.download_button(t("download.csv"), csv, f"atlas_batik_{level}_{region}.csv", "text/csv",
                      key="dl_csv")

with st.expander(t("sources"), expanded=True):
    st.markdown(f"**{t('sources.counts')}**")
    for source in layer_sources(layer):
        st.markdown(f"- {source}")
    st.caption(t("sources.crosswalk"))
    st.markdown(f"**{t('sources.totals')}**")
    st.dataframe(totals_table(load_totals(), lang), hide_index=True, width="stretch")
    st.caption(t("sources.boundaries", commit=sources.UPSTREAM_COMMIT[:12]))
