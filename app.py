"""Streamlit front of the Batik Atlas: arranges widgets and calls into ``atlas``."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas import i18n, sources
from atlas.change import change_layer
from atlas.classify import PALETTES, SCHEMES, parse_breaks
from atlas.datasets import list_datasets
from atlas.errors import AtlasError, OptionError
from atlas.export import FORMATS, SUFFIXES, export_bytes
from atlas.importer import import_counts
from atlas.indicators import load_totals
from atlas.layers import LEVELS, build_layers
from atlas.maps import BASEMAPS, MapChoice, build_map
from atlas.measures import VIEWS
from atlas.presentation import layer_sources, totals_table, unit_details, unit_name, view_table
from atlas.spreadsheet import MAX_FILE_BYTES
from atlas.topology import region_topology

st.set_page_config(page_title="Atlas Batik Pekalongan", page_icon="🗺️", layout="wide")
MIME = {"geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3",
        "shp": "application/zip", "csv": "text/csv",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@st.cache_resource(show_spinner=False)
def layers_for(region: str, dataset_path: str, _dataset, modified: float):
    """Layers are built once per server, region and dataset version (and file change)."""
    return build_layers(region, dataset=_dataset)


@st.cache_resource(show_spinner=False)
def topology_for(region: str, level: str) -> dict:
    """Simplified shared-topology geometry, once per server, region and level."""
    return region_topology(region, level)


def load(region, dataset):
    return layers_for(region, str(dataset.path), dataset, dataset.path.stat().st_mtime)


datasets = list_datasets()
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
    dataset = st.selectbox(t("dataset"), datasets, index=len(datasets) - 1,
                           format_func=lambda d: d.label, key="dataset")
    compare = st.checkbox(t("compare"), key="compare")
    others = [d for d in datasets if d != dataset]
    baseline = None
    if compare and others:
        baseline = st.selectbox(t("compare.with"), others, format_func=lambda d: d.label, key="baseline")
    elif compare:
        st.info(t("compare.none"))
    scheme = st.selectbox(t("scheme"), SCHEMES, format_func=lambda v: t(f"scheme.{v}"), key="scheme")
    k = st.slider(t("classes"), 2, 9, 5, key="k")
    breaks_text = st.text_input(t("breaks"), "10, 50, 100", key="breaks") if scheme == "user_defined" else ""
    palette = st.selectbox(t("palette"), list(PALETTES), index=4 if baseline else 0, key=f"palette_{bool(baseline)}")
    basemap = st.radio(t("basemap"), BASEMAPS, format_func=lambda v: t(f"basemap.{v}"), key="basemap")

st.title(t("title"))
st.caption(t("subtitle"))
with st.expander(t("help")):
    st.markdown(t("help.text"))

layers = load(region, dataset)
layer = layers.level(level)
title = ""
if baseline:
    layer = change_layer(load(region, baseline), layers, level, field)
    title = t("change.title", measure=t(f"measure.{field}"), start=baseline.year, end=dataset.year)
try:
    breaks = parse_breaks(breaks_text)
except OptionError:
    st.sidebar.error(t("error.breaks", text=breaks_text))
    breaks = ()
choice = MapChoice(level=level, field=field, scheme=scheme, k=k, palette=palette, lang=lang,
                   basemap=basemap, breaks=breaks, title=title)
fmap = build_map(layer, topology_for(region, level), choice, sources=layer_sources(layer))

map_column, details_column = st.columns([3, 1])
with map_column:
    clicked = st_folium(fmap, height=600, use_container_width=True,
                        returned_objects=["last_active_drawing"], key=f"map_{region}_{level}")
selected = ((clicked or {}).get("last_active_drawing") or {}).get("properties", {}).get("code")
with details_column:
    st.subheader(t("details"))
    details = unit_details(layers.level(level), level, selected, lang) if selected else []
    if details:
        st.text(unit_name(layer, level, selected))
        st.table(pd.DataFrame(details, columns=[t("details.field"), t("details.value")]).set_index(t("details.field")))
    else:
        st.info(t("details.hint"))

st.subheader(t("table"))
st.dataframe(view_table(layer, level, view, lang), hide_index=True, width="stretch")
st.markdown(f"**{t('downloads')}**")
for column, fmt in zip(st.columns(len(FORMATS)), FORMATS):
    column.download_button(  # the file is made only when the button is pressed
        t(f"download.{fmt}"), lambda fmt=fmt: export_bytes(layers, level, fmt),
        f"atlas_batik_{level}_{region}_{dataset.year}{SUFFIXES[fmt]}", MIME[fmt],
        key=f"dl_{fmt}", on_click="ignore")

with st.expander(t("sources"), expanded=True):
    st.markdown(f"**{t('sources.counts')}**")
    st.table(pd.DataFrame({t("field.sumber"): layer_sources(layer)}))  # shown as text, never markup
    st.caption(t("sources.crosswalk"))
    st.markdown(f"**{t('sources.totals')}**")
    st.dataframe(totals_table(load_totals(), lang), hide_index=True, width="stretch")
    st.caption(t("sources.boundaries", commit=sources.UPSTREAM_COMMIT[:12]))

with st.expander(t("import")):
    st.caption(t("import.help", mb=MAX_FILE_BYTES // 1_000_000))
    with st.form("import_form"):
        upload = st.file_uploader(t("import.file"), type=["csv", "xlsx"])
        year = st.number_input(t("import.year"), 1990, 2100, 2024, step=1)
        source = st.text_input(t("import.source"))
        submitted = st.form_submit_button(t("import.button"))
    if submitted and upload is not None:
        if not source.strip():
            st.error(t("import.need_source"))
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                try:
                    result = import_counts(path, int(year), source)
                except AtlasError as error:
                    st.error(t("import.rejected"))
                    st.code(str(error), language=None)
                else:
                    st.success(t("import.done", rows=result.rows, units=result.units, year=result.year))
