"""Streamlit front of the Batik Atlas: arranges widgets and calls into ``atlas``."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas.render import i18n
from atlas.data import sources
from atlas.analysis.change import change_layer
from atlas.render.classify import PALETTES, SCHEMES, parse_breaks
from atlas.data.datasets import datasets_signature, list_datasets
from atlas.errors import AtlasError, OptionError
from atlas.io.export import FORMATS, SUFFIXES, export_bytes, export_frame, export_metadata, frames_bytes
from atlas.intake.importer import import_counts
from atlas.data.indicators import load_totals
from atlas.analysis.layers import LEVELS, build_layers
from atlas.render.maps import BASEMAPS, MapChoice, build_map
from atlas.analysis.margin import ACTORS, LINKS, PARAMETERS, load_model, load_umk, margin_layer, margin_metadata
from atlas.render.measures import MARGIN_MEASURES, VIEWS, all_fields
from atlas.analysis.overlay import (MAX_UPLOAD_BYTES, STATISTICS, correlation, overlay_layer,
                           overlay_metadata, raster_info, stored_upload)
from atlas.render.presentation import layer_sources, totals_table, unit_details, unit_name, view_table
from atlas.intake.spreadsheet import MAX_FILE_BYTES
from atlas.render.topology import region_topology

st.set_page_config(page_title="Atlas Batik Pekalongan", page_icon="🗺️", layout="wide")
MIME = {"geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3",
        "shp": "application/zip", "csv": "text/csv",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
ALL_VIEWS = [*VIEWS, "margin", "environment"]
OVERLAY_CACHE_SIZE = 8


@st.cache_resource(show_spinner=False)
def layers_for(region: str, dataset_path: str, _dataset, modified: float):
    """Layers are built once per server, region and dataset version (and file change)."""
    return build_layers(region, dataset=_dataset)


@st.cache_resource(show_spinner=False)
def datasets_for(signature: tuple):
    """The dataset versions, read again only when a dataset file changes."""
    return list_datasets()


@st.cache_resource(show_spinner=False)
def reference_tables():
    """Small tables that do not change while the server runs: published totals, UMK, margin inputs."""
    return load_totals(), load_umk(), load_model()


@st.cache_resource(show_spinner=False)
def overlay_results() -> dict:
    """Raster statistics already computed on this server, by raster, band, units and dataset."""
    return {}


def overlay_for(layers, level, raster, band, categorical, key):
    """The joined overlay layer, computed once per key (with a progress bar), then reused."""
    results = overlay_results()
    if key not in results:
        bar = st.progress(0.0, text=t("env.progress"))
        results[key] = overlay_layer(layers, level, raster, band, STATISTICS, categorical=categorical,
                                     progress=lambda done, total: bar.progress(done / total, text=t("env.progress")))
        bar.empty()
        while len(results) > OVERLAY_CACHE_SIZE:
            results.pop(next(iter(results)))
    return results[key]


def load(region, dataset):
    return layers_for(region, str(dataset.path), dataset, dataset.path.stat().st_mtime)


def show_map(layer, region, level, choice, key):
    """Draw a map; returns the code of the unit last clicked."""
    fmap = build_map(layer, region_topology(region, level), choice, sources=layer_sources(layer))
    clicked = st_folium(fmap, height=560, use_container_width=True,
                        returned_objects=["last_active_drawing"], key=key)
    return ((clicked or {}).get("last_active_drawing") or {}).get("properties", {}).get("code")


def show_details(layers, level, selected):
    st.subheader(t("details"))
    details = unit_details(layers.level(level), level, selected, lang) if selected else []
    if details:
        st.text(unit_name(layers.level(level), level, selected))
        st.table(pd.DataFrame(details, columns=[t("details.field"), t("details.value")])
                 .set_index(t("details.field")))
    else:
        st.info(t("details.hint"))


datasets = datasets_for(datasets_signature())
totals, umk, default_model = reference_tables()
with st.sidebar:
    lang = st.radio("Bahasa / Language", i18n.LANGUAGES, horizontal=True,
                    format_func={"id": "Bahasa Indonesia", "en": "English"}.get, key="lang")
    t = lambda key, **values: i18n.t(key, lang, **values)  # noqa: E731
    view = st.radio(t("view"), ALL_VIEWS, format_func=lambda v: t(f"view.{v}"), horizontal=True, key="view")
    view_fields = ([m.field for m in VIEWS[view]] if view in VIEWS else
                   [m.field for m in MARGIN_MEASURES] if view == "margin" else all_fields())
    field = st.selectbox(t("env.batik") if view == "environment" else t("measure"), view_fields,
                         format_func=lambda f: t(f"measure.{f}"), key=f"measure_{view}")
    if view == "margin":
        umk_years = sorted(umk["tahun"].unique())
        umk_year = st.selectbox(t("margin.umk_year"), umk_years, index=umk_years.index(2019), key="umk_year")
    level = st.radio(t("level"), LEVELS, format_func=lambda v: t(f"level.{v}"), key="level")
    region = st.radio(t("region"), ["all", "kota", "kabupaten"],
                      format_func=lambda v: t(f"region.{v}"), key="region")
    dataset = st.selectbox(t("dataset"), datasets, index=len(datasets) - 1,
                           format_func=lambda d: d.label, key="dataset")
    baseline = None
    if view in VIEWS:
        compare = st.checkbox(t("compare"), key="compare")
        others = [d for d in datasets if d != dataset]
        if compare and others:
            baseline = st.selectbox(t("compare.with"), others, format_func=lambda d: d.label, key="baseline")
        elif compare:
            st.info(t("compare.none"))
    scheme = st.selectbox(t("scheme"), SCHEMES, format_func=lambda v: t(f"scheme.{v}"), key="scheme")
    k = st.slider(t("classes"), 2, 9, 5, key="k")
    breaks_text = st.text_input(t("breaks"), "10, 50, 100", key="breaks") if scheme == "user_defined" else ""
    palette = st.selectbox(t("palette"), list(PALETTES), index=4 if baseline else 0,
                           key=f"palette_{bool(baseline)}")
    basemap = st.radio(t("basemap"), BASEMAPS, format_func=lambda v: t(f"basemap.{v}"), key="basemap")

st.title(t("title"))
st.caption(t("subtitle"))
with st.expander(t("help")):
    st.markdown(t("help.text"))

try:
    breaks = parse_breaks(breaks_text)
except OptionError:
    st.sidebar.error(t("error.breaks", text=breaks_text))
    breaks = ()
layers = load(region, dataset)
choice = MapChoice(level=level, field=field, scheme=scheme, k=k, palette=palette, lang=lang,
                   basemap=basemap, breaks=breaks)

if view in VIEWS:
    layer = layers.level(level)
    if baseline:
        layer = change_layer(load(region, baseline), layers, level, field)
        choice = MapChoice(**{**choice.__dict__, "title": t(
            "change.title", measure=t(f"measure.{field}"), start=baseline.year, end=dataset.year)})
    map_column, details_column = st.columns([3, 1])
    with map_column:
        selected = show_map(layer, region, level, choice, key=f"map_{region}_{level}")
    with details_column:
        show_details(layers, level, selected)
    st.subheader(t("table"))
    st.dataframe(view_table(layer, level, view, lang), hide_index=True, width="stretch")
    st.markdown(f"**{t('downloads')}**")
    for column, fmt in zip(st.columns(len(FORMATS)), FORMATS):
        column.download_button(  # the file is made only when the button is pressed
            t(f"download.{fmt}"), lambda fmt=fmt: export_bytes(layers, level, fmt),
            f"atlas_batik_{level}_{region}_{dataset.year}{SUFFIXES[fmt]}", MIME[fmt],
            key=f"dl_{fmt}", on_click="ignore")
elif view == "margin":
    model = default_model
    with st.expander(t("margin.inputs")):
        st.caption(t("margin.inputs_help"))
        changes = {}
        for actor in ACTORS:
            columns = st.columns(len(PARAMETERS))
            for column, parameter in zip(columns, PARAMETERS):
                value = model.values[(actor, parameter)]
                label = f"{t(f'actor.{actor}')}: {t(f'param.{parameter}')} ({t(f'status.{value.status}')})"
                linked = parameter == "harga_masuk" and actor in LINKS
                changes[(actor, parameter)] = column.number_input(
                    label, min_value=0.0, value=float(value.value), step=1000.0 if "harga" in parameter else 1.0,
                    disabled=linked, key=f"in_{actor}_{parameter}")
    try:
        model = model.with_inputs(changes)
    except AtlasError as error:
        st.error(t("margin.error"))
        st.code(str(error), language=None)
    describe = lambda keys: ", ".join(f"{t(f'actor.{a}')} {t(f'param.{p}')}" for a, p in keys) or t("margin.none")  # noqa: E731
    sourced = [key for key, value in model.values.items() if value.status == "sourced"]
    scenario = describe(model.scenario_inputs())
    caption = t("margin.caption", sourced=describe(sourced) + ", UMK, Tabel 1", scenario=scenario)
    layer = margin_layer(layers.level(level), model, umk_year, umk)
    fmap = build_map(layer, region_topology(region, level), choice, sources=layer_sources(layer),
                     notes=[t("margin.map_note", sourced=describe(sourced))])
    st_folium(fmap, height=560, use_container_width=True, returned_objects=[], key=f"margin_{region}_{level}")
    st.caption(caption)
    shares = model.table()["bagian_harga_akhir"] * 100
    st.subheader(t("margin.chart"))
    st.bar_chart(pd.DataFrame({t("margin.share"): shares.to_numpy()},
                              index=[t(f"actor.{a}") for a in shares.index]), horizontal=True, sort=False)
    st.caption(t("margin.outside", share=model.outside_share()))
    st.subheader(t("margin.table"))
    st.dataframe(model.table().rename(index=lambda a: t(f"actor.{a}"), columns=lambda c: i18n.field_label(c, lang)),
                 width="stretch")
    for column, fmt in zip(st.columns(2), ("geojson", "csv")):
        column.download_button(  # made only when pressed
            f"{t('margin.download')} ({t(f'download.{fmt}')})",
            lambda fmt=fmt: frames_bytes({level: export_frame(layer, level)}, level, fmt,
                                         {**export_metadata(layers), **margin_metadata(model, umk_year)}),
            f"atlas_margin_{level}_{region}{SUFFIXES[fmt]}", MIME[fmt], key=f"dl_margin_{fmt}", on_click="ignore")
else:
    st.caption(t("env.help", mb=MAX_UPLOAD_BYTES // 2**20))
    upload = st.file_uploader(t("env.upload"), type=["tif", "tiff"], key="raster")
    if upload is None:
        st.info(t("env.waiting"))
    else:
        try:
            raster = stored_upload(upload.getvalue(), upload.name)
            info = raster_info(raster)
            options = st.columns(3)
            band = options[0].selectbox(t("env.band"), list(range(1, info.bands + 1)), key="band")
            stat = options[1].selectbox(t("env.stat"), STATISTICS, format_func=lambda s: t(f"stat.{s}"), key="stat")
            categorical = options[2].checkbox(t("env.categorical"), key="categorical")
            key = (str(raster), band, categorical, region, level, str(dataset.path),
                   dataset.path.stat().st_mtime_ns)
            joined = overlay_for(layers, level, raster, band, categorical, key)
        except AtlasError as error:
            st.error(t("env.error"))
            st.code(str(error), language=None)
        else:
            counts = joined["r_cakupan"].value_counts()
            st.caption(t("env.coverage", full=counts.get("full", 0), partial=counts.get("partial", 0),
                         none=counts.get("none", 0)))
            env_title = t("env.map_title", stat=t(f"stat.{stat}"), band=band)
            env_column, batik_column = st.columns(2)
            with env_column:
                env_choice = MapChoice(**{**choice.__dict__, "field": f"r_{stat}", "palette": "viridis",
                                          "title": env_title})
                show_map(joined, region, level, env_choice, key=f"env_{region}_{level}")
            with batik_column:
                show_map(joined, region, level, choice, key=f"batik_{region}_{level}")
            r, n = correlation(joined, f"r_{stat}", field)
            st.subheader(t("env.scatter", batik=t(f"measure.{field}"), stat=t(f"stat.{stat}")))
            st.scatter_chart(pd.DataFrame({env_title: joined[f"r_{stat}"], t(f"measure.{field}"): joined[field]})
                             .astype(float).dropna(), x=env_title, y=t(f"measure.{field}"))
            if r is None:
                st.info(t("env.no_correlation", n=n))
            else:
                st.metric(t("env.correlation", n=n), f"{r:.2f}")
            st.download_button(  # made only when pressed
                t("env.download") + " (GeoPackage)",
                lambda: frames_bytes({level: export_frame(joined, level)}, level, "gpkg",
                                     {**export_metadata(layers),
                                      **overlay_metadata(raster, band, categorical, upload.name)}),
                f"atlas_lingkungan_{level}_{region}.gpkg", MIME["gpkg"], key="dl_env", on_click="ignore")

with st.expander(t("sources"), expanded=view in VIEWS):
    st.markdown(f"**{t('sources.counts')}**")
    st.table(pd.DataFrame({t("field.sumber"): layer_sources(layers.level(level))}))  # text, never markup
    st.caption(t("sources.crosswalk"))
    st.markdown(f"**{t('sources.totals')}**")
    st.dataframe(totals_table(totals, lang), hide_index=True, width="stretch")
    st.caption(t("sources.boundaries", commit=sources.UPSTREAM_COMMIT[:12]))

with st.expander(t("import")):
    st.caption(t("import.help", mb=MAX_FILE_BYTES // 2**20))
    with st.form("import_form"):
        counts_file = st.file_uploader(t("import.file"), type=["csv", "xlsx"])
        year = st.number_input(t("import.year"), 1990, 2100, 2024, step=1)
        source = st.text_input(t("import.source"))
        submitted = st.form_submit_button(t("import.button"))
    if submitted and counts_file is not None:
        if not source.strip():
            st.error(t("import.need_source"))
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / Path(counts_file.name).name
                path.write_bytes(counts_file.getvalue())
                try:
                    result = import_counts(path, int(year), source)
                except AtlasError as error:
                    st.error(t("import.rejected"))
                    st.code(str(error), language=None)
                else:
                    st.success(t("import.done", rows=result.rows, units=result.units, year=result.year))
