"""The production and labour views: the choropleth, the clicked unit's details and its trend,
the ranked units, the table, downloads; optionally the change between two dataset versions, or
the years one by one (a year control in the map, and the same map for several years)."""

from __future__ import annotations

import dataclasses
import functools
from urllib.parse import urlencode

import streamlit as st

from atlas import fields
from atlas.analysis.change import PARTIAL, has_overlap
from atlas.analysis.layers import PER_KECAMATAN
from atlas.data.datasets import LATEST, YEARS, latest_dataset
from atlas.fields import CODE_FIELD
from atlas.io.export import FORMATS, product_bytes
from atlas.io.packages import package_zip
from atlas.io.products import counts_product
from atlas.render.figures import view_png
from atlas.render.i18n import t
from atlas.render.measures import VIEWS
from atlas.render.presentation import (
    change_table,
    ranked_chart,
    ranked_rows,
    search_entries,
    summary_lines,
    trend_chart,
    trend_rows,
    trend_table,
    view_table,
)
from atlas.render.small_multiples import small_multiples_png
from atlas.render.timeline import time_map
from atlas.web import cache, controls, sources_panel, widgets


def render(view: str) -> None:
    """Draw the ``view`` ('production' or 'labour') page."""
    totals, _, _ = cache.reference_tables()
    chosen = controls.sidebar(view, VIEWS[view], cache.datasets(through_years=True), compare=True)
    lang, level, region = chosen.lang, chosen.level, chosen.region
    through_years = chosen.dataset.kind == YEARS
    layers = cache.layers(region, latest_dataset(cache.versions()) if through_years else chosen.dataset)
    series = cache.series(region, level, chosen.tolerance)
    time = None
    map_key = f"map_{region}_{level}{'_years' if through_years else ''}"
    if through_years:
        linked = st.session_state.pop("link_year", None)
        if linked is not None:
            st.session_state[f"{map_key}_year"] = st.session_state[f"{map_key}_linked"] = linked
        year = st.session_state.get(f"{map_key}_year")
        # the map stays the one the link opened (the same map, so a click on it is never lost to a
        # rerun) until a click in another year makes that year the session's
        linked_still = year is not None and year == st.session_state.get(f"{map_key}_linked")
        time = time_map(layers.level(level), series, chosen.choice, year, linked=linked_still)
        product = cache.series_product(region, chosen.tolerance)
        layer, choice = time.layer, chosen.choice
        table = view_table(layer, level, view, lang)
        st.caption(t("year.same_classes", lang))
    elif chosen.baseline:
        product = cache.change(region, chosen.baseline, chosen.dataset)
        layer = product.levels[level]
        title = t(
            "change.title",
            lang,
            measure=fields.label(chosen.field, lang),
            start=chosen.baseline.year,
            end=chosen.dataset.year,
        )
        choice = dataclasses.replace(chosen.choice, field=f"selisih_{chosen.field}", title=title, diverging=True)
        table = change_table(layer, level, view, lang)
        _change_notes(layer, chosen, lang)
    else:
        product = counts_product(layers)
        layer, choice = layers.level(level), chosen.choice
        table = view_table(layer, level, view, lang)
    if not chosen.baseline and not through_years:
        st.markdown("  \n".join(summary_lines(layers, totals, lang, cache.survey_progress())))
    years = sorted({int(y) for y in layers.desa["tahun"].dropna()})
    if chosen.dataset.kind == LATEST and len(years) > 1:
        st.info(t("latest.mixed", lang, years=", ".join(map(str, years))))
    per_kecamatan = int((layers.desa["status_data"] == PER_KECAMATAN).sum())
    if level == "desa" and per_kecamatan:
        st.info(t("per_kecamatan.note", lang, n=per_kecamatan))
    codes = layers.level(level)[CODE_FIELD[level]].tolist()
    entries = search_entries(layers.level(level), level, cache.crosswalk(), lang)
    st.selectbox(
        t("search", lang),
        list(entries),
        index=None,
        placeholder=t("search.placeholder", lang),
        key=f"search_{level}",
        on_change=_focus_on,
        args=("search", f"search_{level}", entries, codes),
    )
    focus, source = st.session_state.get(f"focus_{level}", (None, None))
    map_column, details_column = st.columns([3, 1])
    with map_column:
        clicked = widgets.show_map(
            layer,
            region,
            choice,
            key=map_key,
            focus=focus if source != "click" else None,
            time=time,
        )
    if clicked and clicked != st.session_state.get(f"clicked_{level}"):  # a new click: the details follow
        st.session_state[f"clicked_{level}"] = clicked
        focus = clicked
        st.session_state[f"focus_{level}"] = (clicked, "click")
    with details_column:
        shown = time.layer if time else layers.level(level)  # through the years: the year first shown
        widgets.show_details(shown, level, focus, lang, cache.unit_figures())
        if focus:
            _trend(series, level, focus, chosen.field, lang)
        _ranked(layer, level, choice.field, focus, lang)  # what the map shows (a change, when comparing)
    if through_years:
        _small_multiples(series, chosen.field, lang)
    with map_column:
        widgets.download_button(
            t("save_map", lang),
            functools.partial(view_png, layer, layers, choice),
            f"peta_{choice.field}_{level}_{region}.png",
            "png",
            key="save_map",
        )
    st.subheader(t("table", lang))
    st.caption(t("table.select_hint", lang))
    widgets.show_table(
        table,
        on_select=functools.partial(_focus_on, "table", f"table_{level}", None, codes),
        selection_mode="single-row",
        key=f"table_{level}",
    )
    st.markdown(f"**{t('downloads', lang)}**")
    csv_style = "id" if lang == "id" else "intl"  # Indonesian spreadsheets read ';' and decimal commas
    buttons = st.container(horizontal=True)  # each button as wide as its label
    for fmt in FORMATS:
        widgets.download_button(
            t(f"download.{fmt}", lang),
            functools.partial(product_bytes, product, level, fmt, csv_style=csv_style),
            product.file_name(level, fmt, region),
            fmt,
            key=f"dl_{fmt}",
            container=buttons,
        )
    widgets.download_button(
        t("download.package", lang),
        functools.partial(package_zip, region),
        f"atlas_paket_publikasi_{region}.zip",
        "zip",
        key="dl_package",
        container=buttons,
    )
    st.caption(t("link.this_view", lang))
    st.markdown(f"`?{urlencode(st.query_params.to_dict())}`")  # a code block would load a 1.5 MB highlighter
    sources_panel.render(layers, level, totals, lang, expanded=True)


def _trend(series, level: str, code: str, field: str, lang: str) -> None:
    """The selected unit's values through the years: a chart (one line per source) and the table."""
    rows = trend_rows(series, level, code, field, lang)
    st.markdown(f"**{t('trend', lang)}**")
    unit = series[series[CODE_FIELD[level]] == code]
    if level != "desa" and (unit["status_data"] != "reported").any():
        st.caption(t("trend.partial", lang))
    if len(rows) < 2:
        st.caption(t("trend.none", lang))
    else:
        st.altair_chart(trend_chart(rows, field, lang), width="stretch")
    widgets.show_table(trend_table(rows, field, lang))


def _ranked(layer, level: str, field: str, focus: str | None, lang: str) -> None:
    """The shown units ranked; a click on a bar selects that unit on the map and in the details."""
    rows = ranked_rows(layer, level, field, lang)
    st.markdown(f"**{t('ranked', lang)}**")
    if rows.empty:
        return
    event = st.altair_chart(
        ranked_chart(rows, field, lang, focus), width="stretch", on_select="rerun", key=f"ranked_{level}"
    )
    selection: dict = dict(event or {}).get("selection") or {}
    picked = selection.get("unit") or []
    code = picked[0].get("kode") if picked else None
    if code and code != focus and st.session_state.get(f"ranked_pick_{level}") != code:
        st.session_state[f"ranked_pick_{level}"] = code
        st.session_state[f"focus_{level}"] = (code, "ranked")
        st.rerun()
    missing = int(layer[field].isna().sum())
    if missing:
        st.caption(t("ranked.no_data", lang, n=missing))


def _small_multiples(series, field: str, lang: str) -> None:
    """The same map for several chosen years side by side, with one legend (drawn on request)."""
    years = sorted(int(y) for y in series["tahun"].unique())
    with st.expander(t("multiples", lang)):
        chosen = st.multiselect(t("multiples.years", lang), years, default=years[-3:], key="multiples_years")
        if chosen:
            st.image(small_multiples_png(series, field, sorted(chosen), lang))


def _focus_on(source: str, key: str, entries: dict[str, str] | None, codes: list[str]) -> None:
    """Remember the unit a search (``entries``: label -> code) or a table row picked, per level."""
    level = key.split("_", 1)[1]
    if source == "search":
        chosen = st.session_state.get(key)
        code = entries.get(chosen) if entries and chosen else None
    else:
        rows = st.session_state[key].selection.rows
        code = codes[rows[0]] if rows else None
    st.session_state[f"focus_{level}"] = (code, source)


def _change_notes(layer, chosen: controls.Controls, lang: str) -> None:
    """Say when no unit can be compared, and how many comparisons involve a partial count."""
    if not has_overlap(layer):
        assert chosen.baseline is not None
        st.warning(t("change.no_overlap", lang, start=chosen.baseline.label, end=chosen.dataset.label))
    partial = int((layer["status_banding"] == PARTIAL).sum())
    if partial:
        st.info(t("change.partial_count", lang, n=partial))
