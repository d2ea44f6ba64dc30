"""Dataset versions of the counts: the paper's Tabel 1 and every file imported by Bappeda.

Each version is one year and one source. Imported versions live as CSV files in the datasets
folder (``ATLAS_DATASETS_DIR``, default ``datasets/``), one file per version; a version is never
replaced silently. A retired version moves to ``retired/`` inside that folder (and can come back);
``latest_exclusions.json`` lists the versions an editor keeps out of the latest-count view.
``resolved_counts`` turns any version into rows keyed by village code.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from atlas import config
from atlas.data import indicators
from atlas.data.crosswalk import NameIndex
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
RETIRED_FOLDER = "retired"
EXCLUSIONS_FILE = "latest_exclusions.json"
#: Stored version files by kind: per-desa counts, and kecamatan-level reports.
STORED_KINDS = {
    "imported": ("counts", indicators.IMPORTED_SCHEMA),
    "kecamatan": ("kecamatan", indicators.KECAMATAN_SCHEMA),
}


@dataclass(frozen=True)
class Dataset:
    """One version of the counts. ``kind`` is 'tabel1' (pre-2015 cluster names), 'imported' (per
    desa), 'kecamatan' (a kecamatan-level table, never spread over desa), or 'latest': every
    unit's most recent count from all versions (each value keeps its own year and source), so a
    version covering some units adds to the map and never hides the others."""

    year: int
    source: str
    path: Path
    kind: str
    imported_at: str = ""
    in_latest: bool = True

    @property
    def label(self) -> str:
        if self.kind == LATEST:
            return f"{LATEST}: {self.source}"
        return f"{self.year}: {self.source}" + (" (per kecamatan)" if self.kind == "kecamatan" else "")


def latest_dataset(versions: list[Dataset]) -> Dataset:
    """The view of every unit's most recent count over ``versions`` (oldest first)."""
    newest = versions[-1]
    return Dataset(newest.year, "each unit's most recent count", config.datasets_dir(), LATEST, newest.imported_at)


def builtin_dataset(path: Path = indicators.TABEL1_FILE) -> Dataset:
    """A counts table in the Tabel 1 format (one year, one source)."""
    counts = indicators.load_counts(path)
    years, sources = set(counts["tahun"]), set(counts["sumber"])
    if len(years) != 1 or len(sources) != 1:
        raise IndicatorTableError(
            f"{path}: a dataset holds one year and one source, found "
            f"years {sorted(years)} and sources {sorted(sources)}"
        )
    return Dataset(years.pop(), sources.pop(), Path(path), "tabel1")


@dataclass(frozen=True)
class DamagedDataset:
    """A stored version that cannot be read: skipped, never fatal, and reported."""

    path: Path
    reason: str


def scan_datasets(folder: Path | None = None) -> tuple[list[Dataset], list[DamagedDataset]]:
    """The built-in Tabel 1 and every readable imported version (oldest year first), and the
    versions skipped because their file is damaged. With ``folder`` (e.g. the retired versions),
    only the versions stored there."""
    found, damaged = ([], []) if folder else ([builtin_dataset()], [])
    folder = folder or config.datasets_dir()
    excluded = excluded_from_latest()
    for kind, path in version_files(folder):
        try:
            table = indicators.read_table(path, STORED_KINDS[kind][1])
        except (AtlasError, OSError) as exc:
            damaged.append(DamagedDataset(path, str(exc)))
            continue
        first = table.iloc[0]
        found.append(
            Dataset(
                int(first["tahun"]),
                str(first["sumber"]),
                path,
                kind,
                str(first["diimpor"]),
                in_latest=path.name not in excluded,
            )
        )
    return sorted(found, key=lambda d: (d.year, d.imported_at)), damaged


def version_files(folder: Path) -> list[tuple[str, Path]]:
    """(kind, file) of every stored version in ``folder``."""
    if not folder.is_dir():
        return []
    return [
        (kind, path) for kind, (prefix, _) in STORED_KINDS.items() for path in sorted(folder.glob(f"{prefix}_*.csv"))
    ]


def retired_dir() -> Path:
    """Where retired versions are kept (they can be restored)."""
    return config.datasets_dir() / RETIRED_FOLDER


def retired_datasets() -> list[Dataset]:
    """The readable retired versions, oldest year first."""
    return scan_datasets(retired_dir())[0]


def exclusions_path() -> Path:
    return config.datasets_dir() / EXCLUSIONS_FILE


def excluded_from_latest() -> set[str]:
    """File names of the versions kept out of the latest-count view; an unreadable list keeps
    nothing out (every version counts), as if no editor had asked."""
    try:
        names = json.loads(exclusions_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {name for name in names if isinstance(name, str)} if isinstance(names, list) else set()


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


def version_path(year: int, source: str, kind: str = "imported") -> Path:
    """File of an imported version: one per kind, year and source."""
    words = re.sub(r"[^0-9a-z]+", "-", source.casefold()).strip("-")[:40] or "sumber"
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]
    return config.datasets_dir() / f"{STORED_KINDS[kind][0]}_{year}_{words}_{digest}.csv"


def resolved_counts(dataset: Dataset, index: NameIndex, kabkota_codes: set[str]) -> pd.DataFrame:
    """Rows of ``dataset`` within ``kabkota_codes``, keyed by village code (``KDEPUM``)."""
    if dataset.kind == LATEST:
        return _latest_counts(index, kabkota_codes)
    if dataset.kind == "kecamatan":
        return pd.DataFrame(columns=RESOLVED_COLUMNS)  # reported per kecamatan: no desa counts
    if dataset.kind == "tabel1":
        counts = indicators.load_counts(dataset.path)
        counts = counts[counts["kode_kabkota"].isin(kabkota_codes)].copy()
        counts["KDEPUM"] = [_resolve(index, dataset.path, row) for row in counts.itertuples()]
        counts["kelurahan_lama"] = counts["klaster"]
        counts["tanpa_pekerja"] = pd.NA
    else:
        counts = indicators.read_table(dataset.path, indicators.IMPORTED_SCHEMA)
        counts = counts[counts["KDEPUM"].str[:5].isin(kabkota_codes)].copy()
        unknown = counts[~counts["KDEPUM"].isin(index.codes)]
        if len(unknown):
            raise IndicatorTableError(f"{dataset.path}: codes not in the boundaries: " + ", ".join(unknown["KDEPUM"]))
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
    frames = [
        indicators.read_table(v.path, indicators.KECAMATAN_SCHEMA).assign(_order=n) for n, v in enumerate(versions)
    ]
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


def datasets_signature() -> tuple:
    """(file, modification time) of every dataset file and of the exclusion list: changes
    whenever a version is added, replaced, retired, restored or kept out of the latest view, so a
    cached ``list_datasets`` can be reused until then."""
    files = [indicators.TABEL1_FILE]
    for folder in (config.datasets_dir(), retired_dir()):
        files += [path for _, path in version_files(folder)]
    if exclusions_path().is_file():
        files.append(exclusions_path())
    return tuple((str(path), path.stat().st_mtime_ns) for path in files)
