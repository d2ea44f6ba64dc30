"""What an editor does with a stored version besides importing it: retire it (it moves to
``retired/`` and stays on disk), restore it, keep it out of the latest-count view or let it back
in. Every change is one atomic file operation and one audit record."""

from __future__ import annotations

import getpass
import json
import os
from datetime import UTC, datetime

from atlas.atomic import atomic_path
from atlas.data import indicators
from atlas.data.datasets import (
    STORED_KINDS,
    Dataset,
    excluded_from_latest,
    exclusions_path,
    list_datasets,
    retired_datasets,
    retired_dir,
)
from atlas.data.sources import sha256_of
from atlas.errors import DatasetNotFoundError, OutputExistsError
from atlas.intake import audit

#: What an editor can do with a stored version; 'restore' brings a retired one back.
STORED_VERSION_CHANGES = ("exclude", "include", "retire")
#: What ``atlas datasets`` does ('list' shows every version).
VERSION_ACTIONS = ("list", *STORED_VERSION_CHANGES, "restore")


def retire(year: int, source: str, editor: str | None = None) -> Dataset:
    """Move the version (``year``, ``source``) to the retired versions; returns it as it was."""
    dataset = _find(list_datasets(), year, source, "stored")
    retired_dir().mkdir(parents=True, exist_ok=True)
    target = retired_dir() / dataset.path.name
    if target.exists():
        raise OutputExistsError(f"a retired version {target.name} exists already; restore or remove it first")
    os.replace(dataset.path, target)
    _audit(dataset, target, "retire", editor)
    return dataset


def restore(year: int, source: str, editor: str | None = None) -> Dataset:
    """Bring a retired version back; refused while a version of that year and source is stored."""
    dataset = _find(retired_datasets(), year, source, "retired")
    target = dataset.path.parent.parent / dataset.path.name
    if target.exists():
        raise OutputExistsError(
            f"a version for {year} from {source!r} is stored ({target.name}); retire it before restoring this one"
        )
    os.replace(dataset.path, target)
    _audit(dataset, target, "restore", editor)
    return dataset


def set_in_latest(year: int, source: str, include: bool, editor: str | None = None) -> Dataset:
    """Keep the version out of the latest-count view (``include=False``) or let it back in."""
    dataset = _find(list_datasets(), year, source, "stored")
    names = excluded_from_latest()
    names = names - {dataset.path.name} if include else names | {dataset.path.name}
    with atomic_path(exclusions_path(), force=True) as tmp:
        tmp.write_text(json.dumps(sorted(names), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _audit(dataset, dataset.path, "include" if include else "exclude", editor)
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


def _audit(dataset: Dataset, stored_at, action: str, editor: str | None) -> None:
    table = indicators.read_table(stored_at, STORED_KINDS[dataset.kind][1])
    audit.append(
        audit.AuditRecord(
            waktu=datetime.now(UTC).isoformat(timespec="seconds"),
            editor=editor or getpass.getuser(),
            tindakan=action,
            berkas=str(table.iloc[0]["berkas"]),
            sha256=sha256_of(stored_at),
            baris=len(table),
            unit=table.iloc[:, 0].nunique(),  # the unit code column
            tahun=dataset.year,
            sumber=dataset.source,
            versi=stored_at.name,
        )
    )
