"""The layers the atlas publishes as OGC API Features collections (and in data packages), each
named, titled and described in both languages, and built as the atlas's exports build them.

Per level (desa, kecamatan, kabkota):

- ``<level>_terbaru``: every unit's latest count (each value with its own year and source);
- ``<level>_versi``: every dataset version (Tabel 1 and each stored version that is not retired)
  one after another, told apart by ``versi``, ``tahun`` and ``sumber``; a new import appears here
  without a restart;
- ``<level>_margin``: the margin model (Gambar 3) on the latest counts;
- ``<level>_perubahan``: the change from the oldest to the newest desa-level version (empty while
  there is only one).

``collection_frame`` builds a collection from the store as it is now; a process that serves many
requests keeps the frames of one store state (``Collections``), keyed by the store's signature.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from atlas.analysis.layers import build_layers
from atlas.analysis.margin import load_model, load_umk
from atlas.data.datasets import TABEL1, Dataset, latest_dataset, list_datasets
from atlas.data.store import open_store
from atlas.fields import CODE_FIELD, LEVELS
from atlas.io.export import export_frame
from atlas.io.products import change_product, margin_product
from atlas.render.i18n import t

#: the version a feature of ``<level>_versi`` belongs to
VERSION_FIELD = "versi"
KINDS = ("terbaru", "versi", "margin", "perubahan")


@dataclass(frozen=True)
class Collection:
    """One published layer: its name, level and kind."""

    name: str
    level: str
    kind: str

    def title(self, lang: str) -> str:
        return f"{t(f'collection.{self.kind}', lang)}: {t(f'level.{self.level}', lang)}"

    def description(self, lang: str) -> str:
        return t(f"collection.{self.kind}.about", lang)

    @property
    def id_field(self) -> str:
        """The property that names a feature: the unit's code (with the version for ``versi``)."""
        return "id" if self.kind == "versi" else CODE_FIELD[self.level]


COLLECTIONS = {f"{level}_{kind}": Collection(f"{level}_{kind}", level, kind) for level in LEVELS for kind in KINDS}


def collection_frame(collection: Collection, region: str = "all") -> gpd.GeoDataFrame:
    """The features of ``collection`` now, as ``atlas export`` writes them (EPSG:4326)."""
    versions = list_datasets()
    if collection.kind == "terbaru":
        layers = build_layers(region, dataset=latest_dataset(versions))
        return export_frame(layers.level(collection.level), collection.level)
    if collection.kind == "versi":
        frames = [_version_frame(dataset, collection.level, region) for dataset in versions]
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    if collection.kind == "margin":
        model = load_model()
        latest = build_layers(region, dataset=latest_dataset(versions))
        margin = margin_product(latest, model, model.wage_year, load_umk())
        return export_frame(margin.levels[collection.level], collection.level)
    first, last = change_ends(versions)
    if first is None or last is None:
        empty = export_frame(build_layers(region, dataset=versions[0]).level(collection.level), collection.level)
        return empty.iloc[0:0]
    change = change_product(build_layers(region, dataset=first), build_layers(region, dataset=last))
    return export_frame(change.levels[collection.level], collection.level)


def change_ends(versions: list[Dataset]) -> tuple[Dataset | None, Dataset | None]:
    """The oldest and the newest desa-level version, when there are two or more."""
    desa_versions = [d for d in versions if d.kind != "kecamatan"]
    return (desa_versions[0], desa_versions[-1]) if len(desa_versions) >= 2 else (None, None)


def _version_frame(dataset: Dataset, level: str, region: str) -> gpd.GeoDataFrame:
    frame = export_frame(build_layers(region, dataset=dataset).level(level), level)
    key = "tabel1_2017" if dataset.kind == TABEL1 else dataset.key
    frame.insert(0, VERSION_FIELD, key)
    frame.insert(0, "id", key + ":" + frame[CODE_FIELD[level]])
    return frame


class Collections:
    """The frames of the collections for one store state, built when first asked for; a change to
    the store (any server's) starts a new state. Thread-safe, bounded to ``keep`` frames."""

    def __init__(self, keep: int = 32):
        self.keep = keep
        self._frames: OrderedDict[tuple[str, str, str], gpd.GeoDataFrame] = OrderedDict()
        self._lock = threading.Lock()

    def frame(self, name: str, region: str = "all") -> gpd.GeoDataFrame:
        collection = COLLECTIONS[name]
        key = (open_store().signature(), name, region)
        with self._lock:
            if key in self._frames:
                self._frames.move_to_end(key)
                return self._frames[key]
        frame = collection_frame(collection, region)
        with self._lock:
            self._frames[key] = frame
            while len(self._frames) > self.keep:
                self._frames.popitem(last=False)
        return frame
