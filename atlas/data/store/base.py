"""What every store keeps and how a change is made: the records (a stored version, an audit
record), the canonical text of a version's rows, and the ``Store`` interface both backends
implement. Nothing here knows where the data lives."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from atlas.data import indicators

#: Stored version kinds: per-desa counts, and kecamatan-level reports; the key's prefix and schema of each.
STORED_KINDS = {
    "imported": ("counts", indicators.IMPORTED_SCHEMA),
    "kecamatan": ("kecamatan", indicators.KECAMATAN_SCHEMA),
}
#: What an editor can do to the stored data; each change appends one audit record.
ACTIONS = ("import", "replace", "retire", "restore", "exclude", "include")


@dataclass(frozen=True)
class Version:
    """One stored version of the counts: its key (the same in every backend), kind, year and
    source, when it was imported, whether the latest-count view uses it, and whether it is retired."""

    key: str
    kind: str
    year: int
    source: str
    imported_at: str
    in_latest: bool = True
    retired: bool = False


@dataclass(frozen=True)
class DamagedVersion:
    """A stored version that cannot be read: skipped, never fatal, and reported."""

    key: str
    reason: str


@dataclass(frozen=True)
class AuditRecord:
    """Who changed what, when."""

    waktu: str  # UTC, ISO 8601
    editor: str
    tindakan: str  # one of ACTIONS
    berkas: str  # the file as the editor named it
    sha256: str
    baris: int
    unit: int
    tahun: int
    sumber: str
    versi: str  # the stored version's key


@dataclass(frozen=True)
class NewVersion:
    """A version about to be stored: its rows (``tahun``, ``sumber``, ``diimpor`` and ``berkas``
    filled in), the audit record of its import, and any provenance beyond the counts."""

    version: Version
    records: list[dict]
    audit: AuditRecord
    provenance: dict | None = None


def version_key(year: int, source: str, kind: str = "imported") -> str:
    """The key of a stored version: one per kind, year and source, readable and stable."""
    words = re.sub(r"[^0-9a-z]+", "-", source.casefold()).strip("-")[:40] or "sumber"
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]
    return f"{STORED_KINDS[kind][0]}_{year}_{words}_{digest}"


def now() -> str:
    """The time of a change: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def version_text(records: list[dict], kind: str) -> str:
    """The canonical CSV text of a version's rows: what the folder backend stores, and what the
    ``sha256`` of a stored version is computed over in every backend."""
    out = io.StringIO()
    names = [c.name for c in STORED_KINDS[kind][1].columns]
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n", restval="", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """A stored version's rows as records (missing optional counts as empty text)."""
    return [{k: ("" if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def change_record(version: Version, rows: pd.DataFrame, action: str, editor: str) -> AuditRecord:
    """The audit record of ``action`` on a stored version with ``rows``."""
    text = version_text(frame_records(rows), version.kind)
    return AuditRecord(
        waktu=now(),
        editor=editor,
        tindakan=action,
        berkas=str(rows.iloc[0]["berkas"]),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        baris=len(rows),
        unit=rows.iloc[:, 0].nunique(),  # the unit code column
        tahun=version.year,
        sumber=version.source,
        versi=version.key,
    )


def exists_message(version: Version) -> str:
    """Why a version cannot be imported again without ``--replace``."""
    return (
        f"a dataset for {version.year} from {version.source!r} is already stored ({version.key}); importing "
        "again would replace it: use --replace to do so, or give another --source"
    )


def move_refused_message(version: Version, retire: bool) -> str:
    """Why a version cannot be retired (or restored) while the other place holds one of its key."""
    place = "retired" if retire else "stored"
    then = "restore or remove it first" if retire else "retire it before restoring this one"
    return f"a {place} version {version.key} exists already; {then}"


class Store(ABC):
    """The atlas's shared state: dataset versions (with their rows), retired versions, the
    latest-view exclusions, the audit trail, editors (password hashes only) and column profiles.

    Every change is one transaction: the version and its audit record are stored together or
    not at all, and a check ("is this version new?") holds until the write it guards is done."""

    #: where the store lives, for messages (no password)
    description: str

    @abstractmethod
    def versions(self) -> tuple[list[Version], list[DamagedVersion]]:
        """Every readable stored and retired version, and the versions that cannot be read."""

    @abstractmethod
    def rows(self, version: Version) -> pd.DataFrame:
        """The rows of ``version``, validated by the schema of its kind."""

    @abstractmethod
    def signature(self) -> str:
        """Changes whenever anything stored changes: caches are keyed by it."""

    @abstractmethod
    def add_version(self, new: NewVersion, *, replace: bool) -> bool:
        """Store ``new`` with its audit record in one transaction; True when it replaced a
        version of the same key (the audit record then says 'replace'). Without ``replace`` an
        existing version is a ``VersionExistsError`` and nothing changes."""

    @abstractmethod
    def move_version(self, version: Version, *, retire: bool, editor: str) -> Version:
        """Retire ``version`` (or restore a retired one) with its audit record; refused while
        the other place holds a version of the same key."""

    @abstractmethod
    def set_in_latest(self, version: Version, include: bool, editor: str) -> Version:
        """Keep ``version`` out of the latest-count view (or let it back in), audited."""

    @abstractmethod
    def provenance(self, version: Version) -> dict | None:
        """What a version keeps beyond its rows (a directory import's placements), if anything."""

    @abstractmethod
    def audit_records(self) -> list[AuditRecord]:
        """Every audit record, oldest first."""

    @abstractmethod
    def editors(self) -> dict[str, str]:
        """Editor name -> password hash."""

    @abstractmethod
    def save_editors(self, editors: dict[str, str]) -> None:
        """Replace the editors with ``editors``."""

    @abstractmethod
    def profiles(self) -> dict[str, dict[str, str]]:
        """Saved column mappings by name."""

    @abstractmethod
    def save_profile(self, name: str, mapping: dict[str, str]) -> None:
        """Store (or replace) the column mapping ``name``."""
