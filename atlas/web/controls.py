"""The sidebar every view shares, and the interface language: widgets only, each choice keyed so
that it survives a rerun and a page switch."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from atlas import config, fields
from atlas.analysis.series import TOLERANCE_YEARS
from atlas.data.datasets import LATEST, YEARS, Dataset
from atlas.errors import OptionError
from atlas.fields import LEVELS
from atlas.render import i18n
from atlas.render.classify import DIVERGING_PALETTE, MAX_CLASSES, MIN_CLASSES, PALETTES, SCHEMES, parse_breaks
from atlas.render.maps import BASEMAPS, MapChoice
from atlas.render.measures import MARGIN_MEASURES, VIEWS, all_fields

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
REGIONS = ("all", *(name for name in config.REGIONS if name != "all"))  # both first
DEFAULT_CLASSES = 5
#: Views a link may open (``?view=``), with the measures it may name (``&measure=``).
LINK_VIEWS = {**VIEWS, "margin": MARGIN_MEASURES, "environment": tuple(all_fields())}
#: Widgets whose value is kept when the visitor moves to another page.
SHARED_KEYS = ("level", "region", "dataset", "scheme", "k", "breaks", "basemap")


@dataclass(frozen=True)
class Controls:
    """What the visitor chose in the sidebar."""

    lang: str
    field: str
    level: str
    region: str
    dataset: Dataset
    baseline: Dataset | None
    choice: MapChoice
    tolerance: int = TOLERANCE_YEARS  # years a value is carried forward, through the years


def language() -> str:
    """The language radio at the top of the sidebar; returns 'id' or 'en'. A session's first run
    takes its choices from the link it was opened with (``?lang=en&level=kecamatan...``)."""
    if "link_applied" not in st.session_state:
        st.session_state["link_applied"] = True
        _apply_link(st.query_params.to_dict())
    for key in SHARED_KEYS:  # keep the shared choices across pages
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    with st.sidebar:
        return st.radio(
            "Bahasa / Language", i18n.LANGUAGES, horizontal=True, format_func=LANGUAGE_NAMES.get, key="lang"
        )


def linked_view() -> str | None:
    """The view a link asked for (``?view=labour``), once per session; None when none or used."""
    view = st.session_state.pop("link_view", None)
    return view if view in LINK_VIEWS else None


def _apply_link(params: dict[str, str]) -> None:
    """Put a link's valid choices into the session before the widgets are drawn (the dataset
    when the sidebar knows the versions); anything else in a link is ignored."""
    allowed = {"lang": i18n.LANGUAGES, "level": LEVELS, "region": REGIONS, "scheme": SCHEMES}
    allowed["k"] = tuple(str(k) for k in range(MIN_CLASSES, MAX_CLASSES + 1))
    for key, values in allowed.items():
        if params.get(key) in values:
            st.session_state[key] = int(params[key]) if key == "k" else params[key]
    if "breaks" in params:
        st.session_state["breaks"] = params["breaks"][:200]
    if "dataset" in params:
        st.session_state["link_dataset"] = params["dataset"]
    if params.get("year", "").isdigit():
        st.session_state["link_year"] = int(params["year"])
    view = params.get("view")
    if view in LINK_VIEWS:
        st.session_state["link_view"] = view
        if params.get("measure") in LINK_VIEWS[view]:
            st.session_state[f"measure_{view}"] = params["measure"]


def current_language() -> str:
    """The language chosen in this session (the default before the radio has run)."""
    return st.session_state.get("lang", i18n.DEFAULT_LANGUAGE)


def sidebar(view: str, measures: tuple[str, ...], datasets: list[Dataset], *, compare: bool = False) -> Controls:
    """Measure, level, region, classification and basemap in the sidebar; the dataset (and a
    baseline to compare with) at the top of the page."""
    lang = current_language()

    def t(key: str, **values) -> str:
        return i18n.t(key, lang, **values)

    with st.sidebar:
        label = t("env.batik") if view == "environment" else t("measure")
        field = st.selectbox(label, measures, format_func=lambda f: fields.label(f, lang), key=f"measure_{view}")
        level = st.radio(t("level"), LEVELS, format_func=lambda v: t(f"level.{v}"), key="level")
        region = st.radio(t("region"), REGIONS, format_func=lambda v: t(f"region.{v}"), key="region")
    # the datasets are named by their sources: on the page's full width, never cut off
    _apply_linked_dataset(datasets)
    dataset = st.selectbox(t("dataset"), datasets, format_func=lambda d: dataset_label(d, lang), key="dataset")
    through_years = dataset.kind == YEARS
    baseline = _baseline(datasets, dataset, lang) if compare and not through_years else None
    tolerance = TOLERANCE_YEARS
    if through_years:
        with st.sidebar:
            tolerance = int(st.number_input(t("year.tolerance"), 0, 20, TOLERANCE_YEARS, step=1, key="tolerance"))
    with st.sidebar:
        scheme = st.selectbox(t("scheme"), SCHEMES, format_func=lambda v: t(f"scheme.{v}"), key="scheme")
        user_breaks = scheme == "user_defined"  # the breaks set the classes: no class count to choose
        k = DEFAULT_CLASSES
        if not user_breaks:
            k = st.slider(t("classes"), MIN_CLASSES, MAX_CLASSES, DEFAULT_CLASSES, key="k")
        breaks_text = st.text_input(t("breaks"), "10, 50, 100", key="breaks") if user_breaks else ""
        palette = DIVERGING_PALETTE  # a change map always diverges around "no change"
        if not baseline:
            palette = st.selectbox(t("palette"), list(PALETTES), key="palette")
        basemap = st.radio(t("basemap"), BASEMAPS, format_func=lambda v: t(f"basemap.{v}"), key="basemap")
        try:
            breaks = parse_breaks(breaks_text)
        except OptionError:
            st.error(t("error.breaks", text=breaks_text))
            breaks = ()
    link = {"view": view, "measure": field, "level": level, "region": region, "lang": lang}
    link |= {"dataset": link_value(dataset), "scheme": scheme}
    link |= {"breaks": breaks_text} if user_breaks else {"k": str(k)}
    for stale in ("breaks", "k"):
        st.query_params.pop(stale, None)
    st.query_params.update(link)
    choice = MapChoice(
        level=level, field=field, scheme=scheme, k=k, palette=palette, lang=lang, basemap=basemap, breaks=breaks
    )
    return Controls(lang, field, level, region, dataset, baseline, choice, tolerance)


def dataset_label(dataset: Dataset, lang: str) -> str:
    """How a dataset is named in the sidebar: 'year: source', or the latest-count view."""
    if dataset.kind in (LATEST, YEARS):
        return i18n.t(f"dataset.{dataset.kind}", lang)
    return i18n.citation(dataset.label, lang)


def link_value(dataset: Dataset) -> str:
    """How a link names a dataset: 'latest' or its year (the newest import of that year)."""
    return dataset.kind if dataset.kind in (LATEST, YEARS) else str(dataset.year)


def _apply_linked_dataset(datasets: list[Dataset]) -> None:
    """Select the dataset a link named (``?dataset=latest|YEAR``), once; an unknown one is ignored."""
    wanted = st.session_state.pop("link_dataset", None)
    matches = [d for d in datasets if link_value(d) == wanted]
    if matches:
        st.session_state["dataset"] = matches[-1]


def _baseline(datasets: list[Dataset], dataset: Dataset, lang: str) -> Dataset | None:
    """The earlier version to compare with, when the visitor asks for a change map."""

    def t(key: str) -> str:
        return i18n.t(key, lang)

    if not st.checkbox(t("compare"), key="compare"):
        return None
    versions = [d for d in datasets if d.kind not in (LATEST, YEARS)]
    others = [d for d in versions if d != dataset]
    if len(versions) < 2:
        st.info(t("compare.none"))
        return None
    return st.selectbox(t("compare.with"), others, format_func=lambda d: dataset_label(d, lang), key="baseline")
