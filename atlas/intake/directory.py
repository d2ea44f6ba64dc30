"""Business directories (Direktori IKM, data UMKM) as a dataset version: one row per business,
placed in a desa/kelurahan and counted.

Each business is placed by its desa code, by its desa name (current or pre-2015, with kecamatan
and kab/kota to tell apart units of the same name: the importer's own matching), or by its
coordinates (point in polygon); when the name and the coordinates point at different units the
row is reported, not guessed. Rows can be kept to batik (``keep``: a column and a value it must
contain). The result counts producers (businesses) and sums workers per unit; a unit where some
businesses give no worker count says how many (``tanpa_pekerja``) and is "partial".

An export of the atlas's field-survey form (ODK Central or KoboToolbox, ``--profile odk|kobo``)
is such a directory: one submission is one business, a submission sent twice (the same instance
id) counts once, and the desa the enumerator chose is kept when the GPS point falls in another
one (the report lists it; ``prefer_point`` places it by the point instead). Such a version
records how many desa of each kab/kota have at least one submission (the survey's progress).

Nothing is stored until the user accepts the report (``accept``); then the aggregated counts are
stored as a version, with its provenance (in the store, beside the version) holding the file's
SHA-256, the column mapping and the row-to-unit assignment (line numbers and codes). Business names and
addresses are never read into anything that is stored, exported or logged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from atlas import config
from atlas.data import indicators
from atlas.data.boundaries import load_boundaries
from atlas.data.crosswalk import NameIndex, normalise_name
from atlas.data.sources import sha256_of
from atlas.data.store import open_store
from atlas.errors import ImportRejected, OptionError
from atlas.intake.columns import Header, find_header, propose
from atlas.intake.importer import (
    ImportResult,
    Places,
    Problem,
    cell,
    check_metadata,
    check_new_version,
    is_totals_label,
    match_unit,
    store_version,
    stored_name,
)
from atlas.intake.spreadsheet import header_key, parse_count, read_rows


@dataclass(frozen=True)
class Keep:
    """Keep only rows whose ``column`` contains ``value`` (case and spacing ignored)."""

    column: str
    value: str

    @classmethod
    def parse(cls, text: str | None) -> Keep | None:
        """``"Produk=batik"`` -> Keep('Produk', 'batik')."""
        if not text:
            return None
        column, sep, value = text.partition("=")
        if not sep or not column.strip() or not value.strip():
            raise OptionError(f"--keep: {text!r} is not COLUMN=VALUE (e.g. 'Produk=batik' or 'KBLI=13134')")
        return cls(column.strip(), value.strip())


@dataclass
class DirectoryReport:
    """What reading a directory found, before anything is stored."""

    file_name: str
    header_row: int
    rows: int = 0
    filtered_out: int = 0
    totals_rows: list[int] = field(default_factory=list)
    placed: list[tuple[int, str, str]] = field(default_factory=list)  # (line, code, how)
    workers: dict[int, int | None] = field(default_factory=dict)  # line -> workers (None: not given)
    unplaced: list[Problem] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)  # lines repeating an earlier submission
    outside: list[Problem] = field(default_factory=list)  # survey rows whose point is in another desa
    survey_units: dict[str, int] = field(default_factory=dict)  # a survey's desa per kab/kota of the region

    def records(self, name_of: dict[str, str]) -> list[dict]:
        """Counts per unit: businesses, the sum of the known worker counts, how many lack one."""
        businesses, workers, missing = Counter[str](), Counter[str](), Counter[str]()
        for line, code, _ in self.placed:
            businesses[code] += 1
            count = self.workers[line]
            if count is None:
                missing[code] += 1
            else:
                workers[code] += count
        return [
            {
                "KDEPUM": code,
                "nama_di_sumber": name_of[code],
                "kelurahan_lama": "",
                "pelaku_usaha": businesses[code],
                "pekerja": workers[code],
                "tanpa_pekerja": missing[code],
            }
            for code in sorted(businesses)
        ]

    def summary(self) -> str:
        """One paragraph: rows read, kept, placed, and what was left out."""
        how = Counter(how for _, _, how in self.placed)
        methods = ", ".join(f"{count} by {method}" for method, count in sorted(how.items())) or "none"
        totals = (
            f"; {len(self.totals_rows)} totals row(s) skipped (lines {self.totals_rows})" if self.totals_rows else ""
        )
        repeated = f"; {len(self.duplicates)} repeated submission(s) counted once" if self.duplicates else ""
        outside = f"; {len(self.outside)} GPS point(s) outside the chosen desa" if self.outside else ""
        return (
            f"{self.file_name}: header on line {self.header_row}; {self.rows} business rows, "
            f"{self.filtered_out} left out by the filter{totals}{repeated}; {len(self.placed)} placed ({methods}), "
            f"{len(self.unplaced)} could not be placed{outside}"
        )


def read_directory(
    path: Path,
    region: str,
    *,
    mapping: dict[str, str],
    keep: Keep | None,
    file_name: str,
    prefer_point: bool = False,
) -> tuple[DirectoryReport, list[dict]]:
    """Place every business of the directory at ``path``; returns the report and the per-unit
    counts (stored only by ``import_directory(accept=True)``). With an id column (a survey
    export), a submission seen before is counted once, and the chosen desa wins over the GPS
    point unless ``prefer_point``."""
    rows = read_rows(path)
    header = find_header(rows, mapping)
    located = {"code", "name", "lon", "geopoint"}
    if header is None or not (located & set(header.columns)) or "workers" not in header.columns:
        labels = header.labels if header else [str(c) for c in (rows[0][1] if rows else [])]
        raise ImportRejected(
            file_name,
            [
                Problem(
                    header.number if header else None,
                    "-",
                    "",
                    "a directory needs a desa/kelurahan (name or code) or longitude/latitude column and a "
                    f"workers column; the header found is {labels}: map the columns (--columns 'Jml TK=pekerja')",
                )
            ],
        )
    boundaries = load_boundaries(config.region_codes(region))
    places = Places.of(boundaries.desa, NameIndex(boundaries.desa, indicators.load_crosswalk_table()))
    locator = _Locator(boundaries.desa)
    keep_at = _keep_column(header, keep, file_name)
    report = DirectoryReport(file_name, header.number)
    survey = "instance" in header.columns
    if survey:
        report.survey_units = boundaries.desa.groupby("KDPKAB").size().astype(int).to_dict()
    submissions: set[str] = set()
    for number, cells in rows[header.position :]:
        if _is_totals_row(cells, header):
            report.totals_rows.append(number)
            continue
        report.rows += 1
        if keep and keep_at is not None and normalise_name(keep.value) not in normalise_name(cell(cells, keep_at)):
            report.filtered_out += 1
            continue
        if survey:
            instance = str(cell(cells, header.columns["instance"]) or "").strip()
            if instance and instance in submissions:
                report.duplicates.append(number)
                continue
            submissions.add(instance)
        _place(cells, number, header.columns, places, locator, report, survey=survey and not prefer_point)
    return report, report.records(places.name_of)


def import_directory(
    path: str | Path,
    year: int,
    source: str,
    region: str = "all",
    *,
    mapping: dict[str, str] | None = None,
    keep: Keep | None = None,
    accept: bool = False,
    replace: bool = False,
    editor: str | None = None,
    file_name: str | None = None,
    prefer_point: bool = False,
) -> tuple[DirectoryReport, ImportResult | None]:
    """Read and place a directory; store it as the version (``year``, ``source``) only when
    ``accept`` is given (a dry run otherwise)."""
    path = Path(path)
    file_name = stored_name(file_name or path.name)
    source = check_metadata(year, source)
    store = open_store()
    check_new_version(store, "imported", year, source, replace)
    report, records = read_directory(
        path, region, mapping=mapping or {}, keep=keep, file_name=file_name, prefer_point=prefer_point
    )
    if not accept:
        return report, None
    if not records:
        raise ImportRejected(file_name, [Problem(None, "-", "", "no business could be placed: nothing to store")])
    provenance = _provenance(path, file_name, mapping or {}, keep, report)
    result = store_version(
        store, records, "imported", year, source, path, file_name, editor, replace=replace, provenance=provenance
    )
    return report, result


def _provenance(path: Path, file_name: str, mapping: dict, keep: Keep | None, report) -> dict:
    """What the version keeps beyond its counts: the file, the mapping and every placement."""
    return {
        "berkas": file_name,
        "sha256": sha256_of(path),
        "kolom": mapping,
        "saring": {"kolom": keep.column, "nilai": keep.value} if keep else None,
        "baris_usaha": report.rows,
        "disaring": report.filtered_out,
        "tidak_ditempatkan": [problem.row for problem in report.unplaced],
        "penempatan": [[line, code, how] for line, code, how in report.placed],
        "kiriman_ganda": report.duplicates,
        "survei": survey_progress(report),
    }


def survey_progress(report: DirectoryReport) -> dict[str, list[int]] | None:
    """For a survey: per kab/kota, [desa with at least one submission, desa of the region]."""
    if not report.survey_units:
        return None
    reached = Counter(code[:5] for code in {code for _, code, _ in report.placed})
    return {kabkota: [reached.get(kabkota, 0), units] for kabkota, units in sorted(report.survey_units.items())}


class _Locator:
    """The desa/kelurahan a point (lon, lat) falls in."""

    def __init__(self, desa):
        self.codes = desa["KDEPUM"].to_numpy()
        self.geometries = desa.to_crs("EPSG:4326").geometry.values
        self.tree = shapely.STRtree(self.geometries)

    def code_at(self, lon: float, lat: float) -> str | None:
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        return str(self.codes[np.min(hits)]) if len(hits) else None


def _place(
    cells, number: int, columns: dict[str, int], places: Places, locator: _Locator, report, *, survey: bool = False
) -> None:
    """Place one business (or note why it cannot be placed) and keep its worker count; in a
    ``survey`` the chosen desa wins over the point, and the disagreement is reported."""
    try:
        workers = parse_count(cell(cells, columns.get("workers")))
    except ValueError as exc:
        report.unplaced.append(Problem(number, "pekerja", str(cell(cells, columns.get("workers"))), str(exc)))
        return
    by_name: str | None = None
    problems: list[Problem] = []
    if {"code", "name"} & set(columns) and (cell(cells, columns.get("code")) or cell(cells, columns.get("name"))):
        by_name = match_unit(cells, columns, number, places, problems)[0]
    point, point_problem = _coordinates(cells, columns, number, locator)
    if point_problem:
        report.unplaced.append(point_problem)
        return
    if by_name and point and by_name != point and survey:
        report.outside.append(
            Problem(
                number,
                "titik GPS",
                str(cell(cells, columns.get("code"))),
                f"the point falls in {point} ({places.name_of[point]}), not in the chosen {by_name} "
                f"({places.name_of[by_name]}); the chosen desa is kept",
            )
        )
        point = by_name
    if by_name and point and by_name != point:
        report.unplaced.append(
            Problem(
                number,
                "WADMKD, bujur/lintang",
                str(cell(cells, columns.get("name")) or cell(cells, columns.get("code"))),
                f"the name says {by_name} ({places.name_of[by_name]}) but the coordinates fall in {point} "
                f"({places.name_of[point]}); correct one of them",
            )
        )
        return
    code = by_name or point
    if code is None:
        report.unplaced.append(
            problems[0] if problems else Problem(number, "WADMKD", "", "gives no desa/kelurahan and no coordinates")
        )
        return
    how = "name and coordinates" if by_name and point else "name or code" if by_name else "coordinates"
    report.placed.append((number, code, how))
    report.workers[number] = workers


def _coordinates(cells, columns: dict[str, int], number: int, locator: _Locator) -> tuple[str | None, Problem | None]:
    """The unit the row's coordinates fall in (None when it gives none), or why they are unusable."""
    lon, lat = cell(cells, columns.get("lon")), cell(cells, columns.get("lat"))
    if lon in (None, "") and lat in (None, "") and cell(cells, columns.get("geopoint")):
        parts = str(cell(cells, columns.get("geopoint"))).split()  # ODK's 'lat lon altitude accuracy'
        lat, lon = (parts + ["", ""])[:2]
    if lon in (None, "") and lat in (None, ""):
        return None, None
    try:
        x, y = float(str(lon).replace(",", ".")), float(str(lat).replace(",", "."))
    except ValueError:
        return None, Problem(number, "bujur, lintang", f"{lon}, {lat}", "are not numbers (decimal degrees)")
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        return None, Problem(number, "bujur, lintang", f"{lon}, {lat}", "are not longitude/latitude in degrees")
    code = locator.code_at(x, y)
    if code is None:
        return None, Problem(
            number, "bujur, lintang", f"{lon}, {lat}", "fall outside the desa/kelurahan of this region"
        )
    return code, None


def _keep_column(header: Header, keep: Keep | None, file_name: str) -> int | None:
    if keep is None:
        return None
    keys = [header_key(label) for label in header.labels]
    if header_key(keep.column) not in keys:
        raise OptionError(f"--keep: {file_name} has no column {keep.column!r}; its columns: {header.labels}")
    return keys.index(header_key(keep.column))


def _is_totals_row(cells, header: Header) -> bool:
    """A sum row at the bottom ('Jumlah', 'Total') that names no unit and no coordinates."""
    first_text = next((c for c in cells if isinstance(c, str) and c.strip()), "")
    names_unit = any(cell(cells, header.columns.get(k)) for k in ("code", "lon"))
    return is_totals_label(first_text) and not names_unit


def preview(path: Path, rows_shown: int = 3) -> tuple[list[str], dict[str, str | None], list[list[str]]]:
    """The header labels of a file (below any title rows), the atlas column proposed for each,
    and a few sample values per column: what a user confirms before importing."""
    rows = read_rows(path)
    header = find_header(rows, {}, needed=1)
    position = header.position if header else 1
    labels = header.labels if header else [str(c or "") for c in (rows[0][1] if rows else [])]
    proposed = propose(labels)
    private = {"nama_usaha", "alamat"}  # business names and addresses are not repeated, even here
    samples = [
        [
            "…" if proposed[label] in private else str(cell(cells, i) or "")
            for _, cells in rows[position : position + rows_shown]
        ]
        for i, label in enumerate(labels)
    ]
    return labels, proposed, samples
