"""The margin view (the paper's Gambar 3): value-chain inputs, the per-unit estimates on a map,
the actors' shares and unit economics, and the margin layer as a download."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from atlas import fields
from atlas.analysis.margin import ACTORS, LINKS, PARAMETERS, MarginModel
from atlas.errors import AtlasError
from atlas.io.export import product_bytes
from atlas.io.products import margin_product
from atlas.render.i18n import t
from atlas.render.measures import MARGIN_MEASURES, format_value
from atlas.render.presentation import economics_table
from atlas.web import cache, controls, sources_panel, widgets
from atlas.web.guard import show_error

DOWNLOAD_FORMATS = ("geojson", "csv")


def render() -> None:
    """Draw the margin page."""
    totals, umk, default_model = cache.reference_tables()
    chosen = controls.sidebar("margin", MARGIN_MEASURES, cache.datasets())
    lang, level, region = chosen.lang, chosen.level, chosen.region
    umk_years = sorted(int(y) for y in umk["tahun"].unique())
    umk_year = st.sidebar.selectbox(
        t("margin.umk_year", lang), umk_years, index=umk_years.index(default_model.wage_year), key="umk_year"
    )
    layers = cache.layers(region, chosen.dataset)
    model = _edited_model(default_model, lang)

    def describe(keys) -> str:
        return ", ".join(f"{t(f'actor.{a}', lang)} {t(f'param.{p}', lang)}" for a, p in keys) or t("margin.none", lang)

    sourced = describe(key for key, value in model.values.items() if value.status == "sourced")
    dataset = controls.dataset_label(chosen.dataset, lang)
    product = margin_product(layers, model, umk_year, umk)
    layer = product.levels[level]
    values = layer[chosen.field].dropna()
    if values.nunique() > 1:
        map_column, details_column = st.columns([3, 1])
        with map_column:
            selected = widgets.show_map(
                layer,
                region,
                chosen.choice,
                key=f"margin_{region}_{level}",
                notes=[t("margin.map_note", lang, sourced=sourced, dataset=dataset)],
            )
        with details_column:
            widgets.show_details(layer, level, selected, lang)
    else:  # one value for every unit: a statement, not a one-class map
        shown = (
            t("no_data", lang) if values.empty else format_value(values.iloc[0], fields.decimals(chosen.field), lang)
        )
        unit = fields.unit(chosen.field, lang)
        st.info(t("margin.same", lang, measure=fields.label(chosen.field, lang), value=f"{shown} {unit}".strip()))
    st.caption(
        t(
            "margin.caption",
            lang,
            dataset=dataset,
            sourced=f"{sourced}, UMK",
            scenario=describe(model.scenario_inputs()),
        )
    )
    shares = model.table()["bagian_harga_akhir"] * 100
    st.subheader(t("margin.chart", lang))
    st.bar_chart(
        pd.DataFrame({t("margin.share", lang): shares.to_numpy()}, index=[t(f"actor.{a}", lang) for a in shares.index]),
        horizontal=True,
        sort=False,
    )
    st.caption(t("margin.outside", lang, share=format_value(100 * model.outside_share(), 1, lang)))
    st.subheader(t("margin.table", lang))
    widgets.show_table(economics_table(model.table(), lang))
    csv_style = "id" if lang == "id" else "intl"
    buttons = st.container(horizontal=True)  # each button as wide as its label
    for fmt in DOWNLOAD_FORMATS:
        widgets.download_button(
            f"{t('margin.download', lang)} ({t(f'download.{fmt}', lang)})",
            functools.partial(product_bytes, product, level, fmt, csv_style=csv_style),
            product.file_name(level, fmt, region),
            fmt,
            key=f"dl_margin_{fmt}",
            container=buttons,
        )
    sources_panel.render(layers, level, totals, lang, expanded=False)


def _edited_model(model: MarginModel, lang: str) -> MarginModel:
    """The model with the visitor's inputs, or the defaults (with the reason) when they are invalid."""
    with st.expander(t("margin.inputs", lang)):
        st.caption(t("margin.inputs_help", lang))
        changes = {}
        for actor in ACTORS:
            for column, parameter in zip(st.columns(len(PARAMETERS)), PARAMETERS):
                value = model.values[(actor, parameter)]
                status = t(f"status.{value.status}", lang)
                label = f"{t(f'actor.{actor}', lang)}: {t(f'param.{parameter}', lang)} ({status})"
                changes[(actor, parameter)] = column.number_input(
                    label,
                    min_value=0.0,
                    value=float(value.value),
                    step=1000.0 if "harga" in parameter else 1.0,
                    format="%.0f",  # whole rupiah and pieces: no decimal point in either language
                    disabled=parameter == "harga_masuk" and actor in LINKS,
                    key=f"in_{actor}_{parameter}",
                )
    edited, refused, errors = model, [], []
    for key, value in changes.items():  # one by one: a bad input is refused, the others kept
        try:
            edited = edited.with_inputs({key: value})
        except AtlasError as error:
            errors.append(error)
            refused.append(f"{t(f'actor.{key[0]}', lang)}: {t(f'param.{key[1]}', lang)}: {error}")
    if refused:
        show_error(t("margin.error", lang, n=len(refused)), errors[0], lang, detail="\n".join(refused))
    return edited
