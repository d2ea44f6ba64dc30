"""Dataset versions of the counts: the paper's Tabel 1 and every file imported by Bappeda.

Each version is one year and one source. Imported versions live in the store
(``atlas.data.store``: the datasets folder, or PostgreSQL), one per kind, year and source; a
version is never replaced silently. A retired version stays stored (and can come back); an
editor can keep a version out of the latest-count view. ``resolved_counts`` turns any version
into rows keyed by village code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from atlas.data import indicators
from atlas.data.crosswalk import NameIndex
from atlas.data.store import DamagedVersion, Store, Version, open_store
from atlas.errors import AtlasError, DatasetNotFoundError, IndicatorTableError

RESOLVED_COLUMNS = [
    "KDEPUM",
    "nama_di_sumber",
    "kelurahan_lama",
    "pelaku_usaha",
    "pekerja",
    "tahun",
    "sumber",
    "tanpa_pekerja",
]
REPORT_COLUMNS = ["KDCPUM", "pelaku_usaha", "pekerja", "tahun", "sumber"]


LATEST = "latest"
TABEL1 = "tabel1"
#: every year with data, one at a time (the map's year control; ``analysis.series``)
YEARS = "years"


@dataclass(frozen=True)
class Dataset:
    """One version of the counts. ``kind`` is 'tabel1' (pre-2015 cluster names, read from the
    package's ``table``), 'imported' (per desa), 'kecamatan' (a kecamatan-level table, never
    spread over desa), or 'latest': every unit's most recent count from all versions (each value
    keeps its own year and source), so a version covering some units adds to the map and never
    hides the others. ``key`` names a stored version in the store."""

    year: int
    source: str
    kind: str
    key: str
    imported_at: str = ""
    in_latest: bool = True
    retired: bool = False
    table: Path | None = None

    @property
    def label(self) -> str:
        if self.kind in (LATEST, YEARS):
            return f"{self.kind}: {self.source}"
        return f"{self.year}: {self.source}" + (" (per kecamatan)" if self.kind == "kecamatan" else "")

    @property
    def version(self) -> Version:
        """The stored version this dataset is (for 'imported' and 'kecamatan')."""
        return Version(self.key, self.kind, self.year, self.source, self.imported_at, self.in_latest, self.retired)

    @classmethod
    def of(cls, version: Version) -> Dataset:
        return cls(
            version.year,
            version.source,
            version.kind,
            version.key,
            version.imported_at,
            version.in_latest,
            version.retired,
        )


def latest_dataset(versions: list[Dataset]) -> Dataset:
    """The view of every unit's most recent count over ``versions`` (oldest first)."""
    newest = versions[-1]
    return Dataset(newest.year, "each unit's most recent count", LATEST, LATEST, newest.imported_at)


def years_dataset(versions: list[Dataset]) -> Dataset | None:
    """The view through the years, when the versions span two years or more."""
    years = sorted({d.year for d in versions if d.kind != "kecamatan"})
    if len(years) < 2:
        return None
    return Dataset(years[-1], f"years {years[0]}-{years[-1]}", YEARS, YEARS, versions[-1].imported_at)


def builtin_dataset(path: Path = indicators.TABEL1_FILE) -> Dataset:
    """A counts table in the Tabel 1 format (one year, one source)."""
    counts = indicators.load_counts(path)
    years, sources = set(counts["tahun"]), set(counts["sumber"])
    if len(years) != 1 or len(sources) != 1:
        raise IndicatorTableError(
            f"{path}: a dataset holds one year and one source, found "
            f"years {sorted(years)} and sources {sorted(sources)}"
        )
    return Dataset(years.pop(), sources.pop(), TABEL1, TABEL1, table=Path(path))


def scan_datasets(store: Store | None = None) -> tuple[list[Dataset], list[DamagedVersion]]:
    """The built-in Tabel 1 and every readable stored version that is not retired (oldest year
    first), and the versions skipped because they are damaged."""
    stored, damaged = (store or open_store()).versions()
    found = [builtin_dataset()] + [Dataset.of(v) for v in stored if not v.retired]
    return _oldest_first(found), damaged


def retired_datasets(store: Store | None = None) -> list[Dataset]:
    """The readable retired versions, oldest year first."""
    return _oldest_first([Dataset.of(v) for v in (store or open_store()).versions()[0] if v.retired])


def _oldest_first(datasets: list[Dataset]) -> list[Dataset]:
    return sorted(datasets, key=lambda d: (d.year, d.imported_at))


def list_datasets() -> list[Dataset]:
    """The built-in Tabel 1 and every readable imported version, oldest year first."""
    return scan_datasets()[0]


def select_dataset(year: int | None = None, source: str | None = None) -> Dataset:
    """The version of ``year`` (default: the latest) and ``source`` (needed when a year has several)."""
    available = list_datasets()
    matches = [d for d in available if (year is None or d.year == year) and (source is None or d.source == source)]
    if not matches:
        listing = "; ".join(d.label for d in available)
        raise DatasetNotFoundError(f"no dataset for year {year} and source {source!r}; available: {listing}")
    if year is None:
        return matches[-1]
    if len(matches) > 1:
        listing = "; ".join(repr(d.source) for d in matches)
        raise DatasetNotFoundError(f"year {year} has {len(matches)} datasets; choose one with --source: {listing}")
    return matches[0]


def resolved_counts(dataset: Dataset, index: NameIndex, kabkota_codes: set[str]) -> pd.DataFrame:
    """Rows of ``dataset`` within ``kabkota_codes``, keyed by village code (``KDEPUM``)."""
    if dataset.kind == LATEST:
        return _latest_counts(index, kabkota_codes)
    if dataset.kind == "kecamatan":
        return pd.DataFrame(columns=RESOLVED_COLUMNS)  # reported per kecamatan: no desa counts
    if dataset.kind == TABEL1:
        table = dataset.table or indicators.TABEL1_FILE
        counts = indicators.load_counts(table)
        counts = counts[counts["kode_kabkota"].isin(kabkota_codes)].copy()
        counts["KDEPUM"] = [_resolve(index, table, row) for row in counts.itertuples()]
        counts["kelurahan_lama"] = counts["klaster"]
        counts["tanpa_pekerja"] = pd.NA
    else:
        counts = open_store().rows(dataset.version)
        counts = counts[counts["KDEPUM"].str[:5].isin(kabkota_codes)].copy()
        unknown = counts[~counts["KDEPUM"].isin(index.codes)]
        if len(unknown):
            raise IndicatorTableError(f"{dataset.key}: codes not in the boundaries: " + ", ".join(unknown["KDEPUM"]))
        counts["kelurahan_lama"] = counts["kelurahan_lama"].replace("", None)
    return counts[RESOLVED_COLUMNS].reset_index(drop=True)


def _latest_counts(index: NameIndex, kabkota_codes: set[str]) -> pd.DataFrame:
    """Per unit, the rows of the newest version (by year, then import time) that has it."""
    versions = [v for v in list_datasets() if v.in_latest and v.kind != "kecamatan"]
    frames = [resolved_counts(v, index, kabkota_codes).assign(_order=n) for n, v in enumerate(versions)]
    rows = pd.concat(frames, ignore_index=True)
    newest = rows.groupby("KDEPUM")["_order"].transform("max")
    return rows[rows["_order"] == newest][RESOLVED_COLUMNS].reset_index(drop=True)


def kecamatan_reports(dataset: Dataset, kabkota_codes: set[str]) -> pd.DataFrame:
    """Kecamatan-level counts (``REPORT_COLUMNS``) of ``dataset``: its own rows for a kecamatan
    version, the newest report of each kecamatan for the latest view, none otherwise."""
    if dataset.kind == "kecamatan":
        versions = [dataset]
    elif dataset.kind == LATEST:
        versions = [v for v in list_datasets() if v.in_latest and v.kind == "kecamatan"]
    else:
        versions = []
    store = open_store()
    frames = [store.rows(v.version).assign(_order=n) for n, v in enumerate(versions)]
    if not frames:
        return pd.DataFrame(columns=REPORT_COLUMNS)
    rows = pd.concat(frames, ignore_index=True)
    rows = rows[rows["KDCPUM"].str[:5].isin(kabkota_codes)]
    newest = rows.groupby("KDCPUM")["_order"].transform("max")
    return rows[rows["_order"] == newest][REPORT_COLUMNS].reset_index(drop=True)


def _resolve(index: NameIndex, path: Path, row) -> str:
    try:
        return index.resolve(row.klaster, row.kode_kabkota)
    except AtlasError as exc:
        raise IndicatorTableError(f"{path}, line {row.Index}, column klaster: {exc}") from None


@dataclass(frozen=True)
class SurveyProgress:
    """How far a field survey has come in one kab/kota: desa with at least one submission."""

    year: int
    source: str
    kabkota: str
    reached: int
    units: int


def survey_progress(store: Store | None = None) -> list[SurveyProgress]:
    """The progress of every stored (not retired) version loaded from a survey export."""
    store = store or open_store()
    found = []
    for version in store.versions()[0]:
        provenance = None if version.retired else store.provenance(version)
        for kabkota, (reached, units) in ((provenance or {}).get("survei") or {}).items():
            found.append(SurveyProgress(version.year, version.source, kabkota, int(reached), int(units)))
    return sorted(found, key=lambda p: (p.kabkota, p.year))
