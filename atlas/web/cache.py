"""Streamlit caches shared by every session of the server: layers, dataset lists, reference
tables and overlay results. Each is bounded; a changed dataset file gets a new cache entry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from atlas.analysis.layers import Layers, build_layers
from atlas.analysis.margin import MarginModel, load_model, load_umk
from atlas.analysis.overlay import STATISTICS, overlay_layer
from atlas.data.datasets import LATEST, DamagedDataset, Dataset, datasets_signature, latest_dataset, scan_datasets
from atlas.data.indicators import load_totals
from atlas.intake.editors import SignInLimiter


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


@st.cache_resource(show_spinner=False)
def sign_in_limiter() -> SignInLimiter:
    """Failed sign-ins, counted across every session of this server."""
    return SignInLimiter()


@st.cache_resource(show_spinner=False)
def reference_tables() -> tuple[pd.DataFrame, pd.DataFrame, MarginModel]:
    """Tables that do not change while the server runs: published totals, UMK, margin inputs."""
    return load_totals(), load_umk(), load_model()


@st.cache_resource(show_spinner=False, max_entries=8)
def overlay(
    key: tuple,
    _layers: Layers,
    level: str,
    _raster: Path,
    band: int,
    categorical: bool,
    _progress: Callable[[int, int], None],
    _name: str,
) -> gpd.GeoDataFrame:
    """The batik layer joined with a raster's statistics, computed once per ``key`` (raster,
    band, categorical, region, level and dataset file); messages name the raster ``_name``."""
    return overlay_layer(
        _layers, level, _raster, band, STATISTICS, categorical=categorical, progress=_progress, name=_name
    )
