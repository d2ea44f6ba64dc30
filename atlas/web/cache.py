"""Streamlit caches shared by every session of the server: layers, dataset lists, reference
tables, uploaded vector layers and overlay results. Each is bounded; a changed dataset file gets a new cache entry."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from atlas import config
from atlas.analysis.layers import Layers, build_layers
from atlas.analysis.margin import MarginModel, load_model, load_umk
from atlas.analysis.overlay import STATISTICS, overlay_layer
from atlas.analysis.vector_overlay import vector_overlay_layer
from atlas.analysis.vectors import VectorLayer, read_vector
from atlas.data.datasets import LATEST, DamagedDataset, Dataset, datasets_signature, latest_dataset, scan_datasets
from atlas.data.indicators import load_crosswalk_table, load_totals, load_unit_figures
from atlas.intake.audit import AuditRecord, audit_path
from atlas.intake.audit import records as audit_records
from atlas.intake.directory import preview
from atlas.intake.editors import SignInLimiter, load_editors
from atlas.io.export import Product
from atlas.io.products import change_product
from atlas.web.uploads import upload_path


@st.cache_resource(show_spinner=False, max_entries=16)
def _layers(region: str, dataset_label: str, files: tuple, _dataset: Dataset) -> Layers:
    return build_layers(region, dataset=_dataset)


def layers(region: str, dataset: Dataset) -> Layers:
    """Layers of a region and dataset version, built once per server and again when a file they
    come from changes (any version's file, for the latest-count view)."""
    return _layers(region, dataset.label, dataset_files(dataset), dataset)


def dataset_files(dataset: Dataset) -> tuple:
    """(file, modification time) of what a dataset is read from: every version's file for the
    latest-count view; changes whenever its data may have changed."""
    return datasets_signature() if dataset.kind == LATEST else ((str(dataset.path), dataset.path.stat().st_mtime_ns),)


@st.cache_resource(show_spinner=False, max_entries=4)
def _datasets(signature: tuple) -> tuple[list[Dataset], list[DamagedDataset]]:
    return scan_datasets()


def versions() -> list[Dataset]:
    """The readable dataset versions, oldest first; read again only when a dataset file changes."""
    return _datasets(datasets_signature())[0]


def datasets() -> list[Dataset]:
    """What a visitor can map: the latest-count view first, then every version."""
    found = versions()
    return [latest_dataset(found), *found]


def damaged_datasets() -> list[DamagedDataset]:
    """Stored versions skipped because their file is damaged."""
    return _datasets(datasets_signature())[1]


@st.cache_resource(show_spinner=False, max_entries=8)
def _change(region: str, labels: tuple, files: tuple, _before: Dataset, _after: Dataset) -> Product:
    return change_product(layers(region, _before), layers(region, _after))


def change(region: str, before: Dataset, after: Dataset) -> Product:
    """The change layers from ``before`` to ``after``, built once per pair (again if a file changes)."""
    return _change(region, (before.label, after.label), (dataset_files(before), dataset_files(after)), before, after)


@st.cache_data(show_spinner=False, max_entries=4)
def _editors(path: str, modified_ns: int) -> dict[str, str]:
    return load_editors(Path(path))


def editors() -> dict[str, str]:
    """The configured editors, read again only when the editors file changes."""
    path = config.editors_file()
    return _editors(str(path), path.stat().st_mtime_ns) if path.is_file() else {}


@st.cache_data(show_spinner=False, max_entries=4)
def _audit(path: str, size: int) -> list[AuditRecord]:
    return audit_records()


def audit_trail() -> list[AuditRecord]:
    """The audit trail, read again only when a record was appended (it only grows)."""
    path = audit_path()
    return _audit(str(path), path.stat().st_size) if path.is_file() else []


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
