"""Streamlit caches shared by every session of the server: layers, dataset lists, reference
tables, uploaded vector layers and overlay results. Each is bounded; whatever comes from the store
is keyed by the store's change counter (``Store.signature``), so a change made by any server over
the same database shows on the next rerun, without a restart."""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from atlas import config
from atlas.analysis.layers import Layers, build_layers
from atlas.analysis.margin import MarginModel, load_model, load_umk
from atlas.analysis.overlay import STATISTICS, overlay_layer
from atlas.analysis.overlay_years import yearly_overlay as yearly_overlay_rows
from atlas.analysis.series import unit_series
from atlas.analysis.vector_overlay import vector_overlay_layer
from atlas.analysis.vectors import VectorLayer, read_vector
from atlas.data import datasets as stored_datasets
from atlas.data.datasets import (
    TABEL1,
    Dataset,
    SurveyProgress,
    builtin_dataset,
    latest_dataset,
    scan_datasets,
    years_dataset,
)
from atlas.data.indicators import load_crosswalk_table, load_totals, load_unit_figures
from atlas.data.store import AuditRecord, DamagedVersion, open_store
from atlas.errors import AtlasError, StoreSchemaError, StoreUnavailableError
from atlas.intake.directory import preview
from atlas.intake.sign_in import SignInLimiter
from atlas.io.export import Product
from atlas.io.products import change_product
from atlas.io.products import series_product as build_series_product
from atlas.web.uploads import upload_path

LOG = logging.getLogger(__name__)
#: the start of the store signature while the store cannot be used
UNAVAILABLE = "unavailable "


@st.cache_resource(show_spinner=False, max_entries=16)
def _layers(region: str, dataset_label: str, signature: str, _dataset: Dataset) -> Layers:
    return build_layers(region, dataset=_dataset)


def layers(region: str, dataset: Dataset) -> Layers:
    """Layers of a region and dataset version, built once per server and again when the
    store changes (the built-in Tabel 1 never does)."""
    return _layers(region, dataset.label, stored_state(dataset), dataset)


def stored_state(dataset: Dataset) -> str:
    """What a dataset's layers depend on in the store: its change counter (none for Tabel 1)."""
    return "" if dataset.kind == TABEL1 else store_signature()


def store_signature() -> str:
    """The store's change counter (one small query, or a few ``stat`` of the folder); while the
    database cannot be reached or has another schema, ``UNAVAILABLE`` and the reason: the app
    then stays up read-only, on the built-in Tabel 1."""
    try:
        return open_store().signature()
    except (StoreUnavailableError, StoreSchemaError) as exc:
        LOG.warning("the store cannot be used: %s", exc)
        return f"{UNAVAILABLE}{type(exc).__name__}: {exc}"


def store_problem() -> AtlasError | None:
    """Why the store cannot be used now, if it cannot."""
    signature = store_signature()
    if not signature.startswith(UNAVAILABLE):
        return None
    kind, _, reason = signature.removeprefix(UNAVAILABLE).partition(": ")
    return StoreSchemaError(reason) if kind == StoreSchemaError.__name__ else StoreUnavailableError(reason)


@st.cache_resource(show_spinner=False, max_entries=4)
def _datasets(signature: str) -> tuple[list[Dataset], list[DamagedVersion]]:
    if signature.startswith(UNAVAILABLE):
        return [builtin_dataset()], []
    return scan_datasets()


def versions() -> list[Dataset]:
    """The readable dataset versions, oldest first; read again only when the store changes."""
    return _datasets(store_signature())[0]


def datasets(*, through_years: bool = False) -> list[Dataset]:
    """What a visitor can map: the latest-count view first, with ``through_years`` the years one
    by one (when there are several), then every version."""
    found = versions()
    years = years_dataset(found) if through_years else None
    return [latest_dataset(found), *([years] if years else []), *found]


@st.cache_resource(show_spinner=False, max_entries=8)
def _series(region: str, level: str, tolerance: int, signature: str) -> gpd.GeoDataFrame:
    return unit_series(region, level, tolerance)


def series(region: str, level: str, tolerance: int) -> gpd.GeoDataFrame:
    """Every unit's values through the years, built once per store state."""
    return _series(region, level, tolerance, store_signature())


@st.cache_resource(show_spinner=False, max_entries=4)
def _series_product(region: str, tolerance: int, signature: str) -> Product:
    return build_series_product(region, tolerance)


def series_product(region: str, tolerance: int) -> Product:
    """The series download of every level (``atlas export --layer series``), once per store state."""
    return _series_product(region, tolerance, store_signature())


def damaged_datasets() -> list[DamagedVersion]:
    """Stored versions skipped because they are damaged."""
    return _datasets(store_signature())[1]


@st.cache_resource(show_spinner=False, max_entries=8)
def _change(region: str, labels: tuple, signatures: tuple, _before: Dataset, _after: Dataset) -> Product:
    return change_product(layers(region, _before), layers(region, _after))


def change(region: str, before: Dataset, after: Dataset) -> Product:
    """The change layers from ``before`` to ``after``, built once per pair (again if the store changes)."""
    signatures = (stored_state(before), stored_state(after))
    return _change(region, (before.label, after.label), signatures, before, after)


@st.cache_data(show_spinner=False, max_entries=4)
def _survey_progress(signature: str) -> list[SurveyProgress]:
    return [] if signature.startswith(UNAVAILABLE) else stored_datasets.survey_progress()


def survey_progress() -> list[SurveyProgress]:
    """How far the field surveys have come, read again only when the store changes."""
    return _survey_progress(store_signature())


@st.cache_data(show_spinner=False, max_entries=4)
def _editors(signature: str) -> dict[str, str]:
    return {} if signature.startswith(UNAVAILABLE) else open_store().editors()


def editors() -> dict[str, str]:
    """The configured editors, read again only when the store changes."""
    return _editors(store_signature())


@st.cache_data(show_spinner=False, max_entries=4)
def _audit(signature: str) -> list[AuditRecord]:
    return [] if signature.startswith(UNAVAILABLE) else open_store().audit_records()


def audit_trail() -> list[AuditRecord]:
    """The audit trail, read again only when the store changes."""
    return _audit(store_signature())


@st.cache_resource(show_spinner=False)
def sign_in_limiter() -> SignInLimiter:
    """Failed sign-ins, counted across every session of this server."""
    return SignInLimiter()


@st.cache_resource(show_spinner=False)
def reference_tables() -> tuple[pd.DataFrame, pd.DataFrame, MarginModel]:
    """Tables that do not change while the server runs: published totals, UMK, margin inputs."""
    return load_totals(), load_umk(), load_model()


@st.cache_resource(show_spinner=False)
def crosswalk() -> pd.DataFrame:
    """The 2015 merger crosswalk (pre-2015 kelurahan names), for the map search."""
    return load_crosswalk_table()


@st.cache_resource(show_spinner=False)
def unit_figures() -> pd.DataFrame:
    """Figures published per unit by other definitions (``geodata/published_unit_figures.csv``)."""
    return load_unit_figures()


@st.cache_resource(show_spinner=False, max_entries=8)
def overlay(
    key: tuple,
    _layers: Layers,
    level: str,
    _raster: Path,
    band: int,
    categorical: bool,
    _name: str,
) -> gpd.GeoDataFrame:
    """The batik layer joined with a raster's statistics, computed once per ``key`` (raster,
    band, categorical, region, level and dataset file); messages name the raster ``_name``. No
    Streamlit element may be drawn in here: a cached call replays its elements for the next
    visitor, and an element of another session's page cannot be replayed."""
    return overlay_layer(
        _layers,
        level,
        _raster,
        band,
        STATISTICS,
        categorical=categorical,
        name=_name,
        scheduler=config.dask_scheduler(),
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def yearly_overlay(
    key: tuple, region: str, level: str, _raster: Path, years: dict[int, int], _name: str, tolerance: int
) -> gpd.GeoDataFrame:
    """Every band-year's statistics beside that year's batik values, once per ``key`` (raster,
    band years, region, level, tolerance, store state)."""
    return yearly_overlay_rows(region, level, _raster, years, STATISTICS, tolerance=tolerance, name=_name)


@st.cache_resource(show_spinner=False, max_entries=8)
def vector_layer(path: str, name: str) -> VectorLayer:
    """An uploaded vector file, read once per file (stored under its checksum)."""
    return read_vector(path, name)


@st.cache_resource(show_spinner=False, max_entries=8)
def vector_overlay(key: tuple, _layers: Layers, level: str, _vector: VectorLayer, options: tuple) -> gpd.GeoDataFrame:
    """The batik layer joined with a vector layer's statistics, once per ``key`` (file, options,
    region, level and dataset file); ``options`` = (attribute, classes, fill)."""
    attribute, classes, fill = options
    return vector_overlay_layer(_layers, level, _vector, attribute=attribute, classes=classes, fill=fill)


@st.cache_data(show_spinner=False, max_entries=8)
def upload_preview(data: bytes, name: str) -> tuple[list[str], dict[str, str | None], list[list[str]]]:
    """The columns of an uploaded table with the atlas column proposed for each and a few sample
    values (``atlas.intake.directory.preview``), read once per file content, not on every rerun."""
    with upload_path(data, name) as path:
        return preview(path)
