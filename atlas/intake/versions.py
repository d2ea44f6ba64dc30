"""What an editor does with a stored version besides importing it: retire it (it stays stored,
and can be restored), restore it, keep it out of the latest-count view or let it back in. Each
change is one transaction of the store, with its audit record."""

from __future__ import annotations

import getpass

from atlas.data.datasets import Dataset, list_datasets, retired_datasets
from atlas.data.store import STORED_KINDS, open_store
from atlas.errors import DatasetNotFoundError

#: What an editor can do with a stored version; 'restore' brings a retired one back.
STORED_VERSION_CHANGES = ("exclude", "include", "retire")
#: What ``atlas datasets`` does ('list' shows every version).
VERSION_ACTIONS = ("list", *STORED_VERSION_CHANGES, "restore")


def retire(year: int, source: str, editor: str | None = None) -> Dataset:
    """Retire the version (``year``, ``source``); returns it as it was."""
    dataset = _find(list_datasets(), year, source, "stored")
    open_store().move_version(dataset.version, retire=True, editor=editor or getpass.getuser())
    return dataset


def restore(year: int, source: str, editor: str | None = None) -> Dataset:
    """Bring a retired version back; refused while a version of that year and source is stored."""
    dataset = _find(retired_datasets(), year, source, "retired")
    open_store().move_version(dataset.version, retire=False, editor=editor or getpass.getuser())
    return dataset


def set_in_latest(year: int, source: str, include: bool, editor: str | None = None) -> Dataset:
    """Keep the version out of the latest-count view (``include=False``) or let it back in."""
    dataset = _find(list_datasets(), year, source, "stored")
    open_store().set_in_latest(dataset.version, include, editor or getpass.getuser())
    return dataset


def _find(candidates: list[Dataset], year: int, source: str, where: str) -> Dataset:
    matches = [d for d in candidates if d.kind in STORED_KINDS and d.year == year and d.source == source]
    if not matches:
        listing = "; ".join(d.label for d in candidates if d.kind in STORED_KINDS) or "none"
        raise DatasetNotFoundError(
            f"no {where} imported version for {year} from {source!r} (the paper's Tabel 1 cannot be "
            f"changed); {where} versions: {listing}"
        )
    return matches[0]
