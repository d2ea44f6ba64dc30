"""Import updated counts from Bappeda's spreadsheets as a new dataset version.

Rows are matched by Kemendagri code or by name (current or pre-2015, through the crosswalk), the
whole file is checked first, and a file with any problem is rejected with a report naming row,
column, value and reason: nothing is written. An accepted file becomes one new version (year and
source) in the store, beside the others, with its audit record in the same transaction; an
existing version is replaced only on request.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

from atlas import config
from atlas.data import indicators
from atlas.data.boundaries import load_boundaries
from atlas.data.crosswalk import NameIndex, normalise_name
from atlas.data.sources import sha256_of
from atlas.data.store import AuditRecord, NewVersion, Store, Version, open_store, version_key
from atlas.data.store.base import exists_message, now
from atlas.data.values import (
    CONTROL_CHARACTERS,
    MAX_TEXT_CHARS,
    count_problem,
    normalised_text,
    shown,
    text_problem,
    year_problem,
)
from atlas.errors import AmbiguousUnitError, AtlasError, ImportRejected, VersionExistsError
from atlas.intake.columns import Header, find_header, recognised
from atlas.intake.spreadsheet import parse_count, read_rows

COLUMN_LABELS = {
    "code": "KDEPUM",
    "name": "WADMKD",
    "kecamatan": "WADMKC",
    "kabkota": "WADMKK",
    "producers": "pelaku_usaha",
    "workers": "pekerja",
}
UNIT_COLUMNS_NEEDED = {
    ("code", "name"): "KDEPUM or WADMKD (code or name of the desa/kelurahan)",
    ("kecamatan",): "WADMKC (the kecamatan)",
}
#: a desa-level and a kecamatan-level version are told apart by their year and source alone
CLASHING_KINDS = ("imported", "kecamatan")
MAX_UNKNOWN_HINTS = 20  # "did you mean" is searched for the first unknown names only
MAX_PROBLEMS = 200  # a file this wrong is refused without reading further
UNKNOWN_NAME = "is no desa/kelurahan of this region"


@dataclass(frozen=True)
class Problem:
    """One reason to reject a file."""

    row: int | None
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        value = f" {shown(self.value)}" if self.value else ""
        return f"{where}, column {self.column}:{value} {self.reason}"


@dataclass(frozen=True)
class ImportResult:
    """What an accepted import stored."""

    key: str
    kind: str
    year: int
    source: str
    rows: int
    units: int
    producers: int
    workers: int


def import_counts(
    path: str | Path,
    year: int,
    source: str,
    region: str = "all",
    *,
    replace: bool = False,
    editor: str | None = None,
    file_name: str | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportResult:
    """Validate ``path`` (CSV or XLSX) and store it as the dataset version (``year``, ``source``);
    the change is appended to the audit trail as made by ``editor`` (default: the system user)
    from the file the editor calls ``file_name`` (default: its own name). ``mapping`` (from
    ``columns.parse_mapping`` or a profile) says which header holds what. A table with
    kecamatan and no desa becomes a kecamatan-level version."""
    path = Path(path)
    file_name = stored_name(file_name or path.name)
    source = check_metadata(year, source)
    rows = read_rows(path)
    header = table_header(rows, mapping or {}, file_name)
    per_kecamatan = not {"code", "name"} & set(header.columns) and "kecamatan" in header.columns
    kind = "kecamatan" if per_kecamatan else "imported"
    store = open_store()
    check_new_version(store, kind, year, source, replace)
    boundaries = load_boundaries(config.region_codes(region))
    if per_kecamatan:
        records = _match_kecamatan(rows[header.position :], header, boundaries.kecamatan, file_name)
    else:
        index = NameIndex(boundaries.desa, indicators.load_crosswalk_table())
        records = _match_rows(rows[header.position :], header, boundaries.desa, index, file_name)
    return store_version(store, records, kind, year, source, path, file_name, editor, replace=replace)


def table_header(rows: list, mapping: dict[str, str], name: str) -> Header:
    """The header of a counts table (below any title rows); without a recognisable one, the first
    row, so that the refusal names what it lacks."""
    if not rows:
        raise ImportRejected(name, [Problem(None, "-", "", "the file has no rows")])
    number, cells = rows[0]
    labels = [str(c or "").strip() for c in cells]
    return find_header(rows, mapping) or Header(number, 1, recognised(labels, mapping), labels)


def check_new_version(store: Store, kind: str, year: int, source: str, replace: bool) -> None:
    """A version is replaced only on request (checked early, to spare the work of matching;
    the store checks again in the transaction that writes it). A desa table and a kecamatan
    table of one year and source would be two versions no command can tell apart: refused."""
    key = version_key(year, source, kind)
    stored = [v for v in store.versions()[0] if not v.retired]
    existing = next((v for v in stored if v.key == key), None)
    if existing and not replace:
        raise VersionExistsError(exists_message(existing))
    other_level = next(
        (v for v in stored if v.kind in CLASHING_KINDS and v.kind != kind and (v.year, v.source) == (year, source)),
        None,
    )
    if other_level:
        raise VersionExistsError(clash_message(other_level))


def store_version(
    store: Store,
    records: list[dict],
    kind: str,
    year: int,
    source: str,
    path: Path,
    file_name: str,
    editor: str | None,
    *,
    replace: bool,
    provenance: dict | None = None,
) -> ImportResult:
    """Store ``records`` as the version (``kind``, ``year``, ``source``) with its audit record,
    in one transaction."""
    check_stored_counts(records, file_name)
    imported_at = now()
    for record in records:
        record.update(tahun=year, sumber=source, diimpor=imported_at, berkas=file_name)
    key = version_key(year, source, kind)
    units = len({r["KDCPUM" if kind == "kecamatan" else "KDEPUM"] for r in records})
    audit = AuditRecord(
        waktu=imported_at,
        editor=editor or getpass.getuser(),
        tindakan="import",
        berkas=file_name,
        sha256=sha256_of(path),
        baris=len(records),
        unit=units,
        tahun=year,
        sumber=source,
        versi=key,
    )
    version = Version(key, kind, year, source, imported_at)
    store.add_version(NewVersion(version, records, audit, provenance), replace=replace)
    return ImportResult(
        key,
        kind,
        year,
        source,
        len(records),
        units,
        sum(r["pelaku_usaha"] for r in records),
        sum(r["pekerja"] for r in records),
    )


def check_stored_counts(records: list[dict], file_name: str) -> None:
    """Every count as stored (a directory's sums included) within the stored-value limits."""
    key = "KDCPUM" if records and "KDCPUM" in records[0] else "KDEPUM"
    problems = [
        Problem(None, field, f"{record[key]}: {record[field]}", reason)
        for record in records
        for field in ("pelaku_usaha", "pekerja")
        if (reason := count_problem(record[field]))
    ]
    if problems:
        raise ImportRejected(file_name, problems[:MAX_PROBLEMS])


def clash_message(other: Version) -> str:
    """Why a table of another level cannot be stored under the year and source of ``other``."""
    level = "kecamatan" if other.kind == "kecamatan" else "desa/kelurahan"
    return (
        f"a {level} table for {other.year} from {other.source!r} is already stored ({other.key}); "
        "two tables of one year and source cannot be told apart: give another --source, or remove that version"
    )


def stored_name(name: str) -> str:
    """A file name as it may be stored: control characters replaced, cut to the text limit."""
    return CONTROL_CHARACTERS.sub("_", name)[:MAX_TEXT_CHARS]


def check_metadata(year: int, source: str) -> str:
    """The source as it is stored (``normalised_text``), once the year and the source pass the
    stored-value rules."""
    source = normalised_text(source or "")
    problems = []
    reason = year_problem(year)
    if reason:
        problems.append(Problem(None, "--year", str(year), reason))
    if not source:
        problems.append(Problem(None, "--source", "", "is required: name where the counts come from"))
    else:
        reason = text_problem(source)
        if reason:
            problems.append(Problem(None, "--source", source, reason))
    if problems:
        raise ImportRejected("the import", problems)
    return source


def _match_rows(rows, header: Header, villages, index: NameIndex, name: str) -> list[dict]:
    columns = _columns(header, name)
    places = Places.of(villages, index)
    problems: list[Problem] = []
    records: list[dict] = []
    seen: dict[str, list[tuple[int, str | None]]] = {}
    for number, cells in rows:
        if len(problems) >= MAX_PROBLEMS:
            problems.append(Problem(None, "-", "", f"more than {MAX_PROBLEMS} problems: the rest was not checked"))
            break
        counts = _row_counts(cells, columns, number, problems)
        if len(counts) < 2:
            continue
        if counts["pelaku_usaha"] is None and counts["pekerja"] is None:
            continue  # a unit left blank stays "no data"
        for field, other in (("pelaku_usaha", "pekerja"), ("pekerja", "pelaku_usaha")):
            if counts[field] is None:
                problems.append(Problem(number, field, "", f"is empty while {other} is given: give both counts"))
        code, given, old_name = match_unit(cells, columns, number, places, problems)
        if code is None or None in counts.values():
            continue
        # two rows for one unit are fine only as two different pre-2015 parts of it
        earlier = seen.setdefault(code, [])
        clash = next(
            (
                row
                for row, old in earlier
                if old is None or old_name is None or normalise_name(old) == normalise_name(old_name)
            ),
            None,
        )
        if clash:
            problems.append(Problem(number, COLUMN_LABELS["code"], code, f"is the same unit as row {clash}"))
            continue
        earlier.append((number, old_name))
        records.append(
            {
                "KDEPUM": code,
                "nama_di_sumber": given or places.name_of[code],
                "kelurahan_lama": old_name or "",
                **counts,
            }
        )
    if not records and not problems:
        problems.append(Problem(None, "-", "", "no row holds counts"))
    if problems:
        raise ImportRejected(name, problems)
    return records


def _row_counts(cells, columns: dict[str, int], number: int, problems: list[Problem]) -> dict:
    """The producers and workers of a row (None where empty); a count that cannot be read is a
    problem noted and left out of the result."""
    counts = {}
    for key, field in (("producers", "pelaku_usaha"), ("workers", "pekerja")):
        raw = cell(cells, columns.get(key))
        try:
            counts[field] = parse_count(raw)
        except ValueError as exc:
            problems.append(Problem(number, COLUMN_LABELS[key], str(raw), str(exc)))
    return counts


def _columns(header: Header, name: str, unit_columns: tuple[str, ...] = ("code", "name")) -> dict[str, int]:
    columns = header.columns
    missing = [COLUMN_LABELS[c] for c in ("producers", "workers") if c not in columns]
    if not set(unit_columns) & set(columns):
        missing.append(UNIT_COLUMNS_NEEDED[unit_columns])
    if missing:
        problem = Problem(header.number, ", ".join(missing), "", f"missing from the header row {header.labels}")
        raise ImportRejected(name, [problem])
    return columns


def _match_kecamatan(rows, header: Header, kecamatan, name: str) -> list[dict]:
    """Rows of a kecamatan-level table matched to kecamatan codes by name (within the region;
    a kab/kota column tells apart kecamatan of the same name)."""
    columns = _columns(header, name, ("kecamatan",))
    problems: list[Problem] = []
    records: dict[str, dict] = {}
    by_name: dict[str, list[str]] = {}
    for code, kec_name in zip(kecamatan["KDCPUM"], kecamatan["WADMKC"]):
        by_name.setdefault(normalise_name(kec_name), []).append(code)
    kab_of = dict(zip(kecamatan["KDCPUM"], kecamatan["WADMKK"]))
    for number, cells in rows:
        given = normalised_text(str(cell(cells, columns["kecamatan"]) or ""))
        if is_totals_label(given):
            continue
        reason = text_problem(given)
        if reason:
            problems.append(Problem(number, "WADMKC", given, reason))
            continue
        counts = _row_counts(cells, columns, number, problems)
        if len(counts) < 2 or None in counts.values():
            if len(counts) == 2 and counts != {"pelaku_usaha": None, "pekerja": None}:
                problems.append(Problem(number, "pelaku_usaha, pekerja", "", "give both counts"))
            continue
        kabkota = normalise_name(cell(cells, columns.get("kabkota")) or "")
        codes = [
            c for c in by_name.get(normalise_name(given), []) if not kabkota or kabkota in normalise_name(kab_of[c])
        ]
        if len(codes) != 1:
            reason = "matches several kecamatan; add the kab/kota" if codes else "is no kecamatan of this region"
            problems.append(Problem(number, "WADMKC", given, reason))
            continue
        if codes[0] in records:
            problems.append(Problem(number, "WADMKC", given, "is listed twice"))
            continue
        records[codes[0]] = {"KDCPUM": codes[0], "nama_di_sumber": given, **counts}
    if not records and not problems:
        problems.append(Problem(None, "-", "", "no row holds counts"))
    if problems:
        raise ImportRejected(name, problems)
    return list(records.values())


def is_totals_label(label) -> bool:
    """'Jumlah', 'Total', 'Jumlah Kecamatan ...': a sum row at the bottom of a government table."""
    return normalise_name(str(label or "")).startswith(("jumlah", "total"))


@dataclass(frozen=True)
class Places:
    """What matching a row to a desa/kelurahan needs: the name index and each code's names."""

    index: NameIndex
    known_kabkota: list[str]
    name_of: dict[str, str]
    kec_of: dict[str, str]
    kab_of: dict[str, str]

    @classmethod
    def of(cls, villages, index: NameIndex) -> Places:
        def column(name: str) -> dict[str, str]:
            return dict(zip(villages["KDEPUM"], villages[name]))

        return cls(index, sorted(set(villages["KDPKAB"])), column("WADMKD"), column("WADMKC"), column("WADMKK"))


def match_unit(cells, columns: dict[str, int], number: int, places: Places, problems: list[Problem]):
    """(code, name as given, pre-2015 name or None) of a row by its code or name (kecamatan and
    kab/kota columns tell apart units of the same name); problems noted, code None on failure."""
    index, known_kabkota = places.index, places.known_kabkota
    name_of, kec_of, kab_of = places.name_of, places.kec_of, places.kab_of
    code = str(cell(cells, columns.get("code")) or "").strip()
    given = normalised_text(str(cell(cells, columns.get("name")) or ""))
    kecamatan = normalise_name(cell(cells, columns.get("kecamatan")) or "")
    kabkota = normalise_name(cell(cells, columns.get("kabkota")) or "")
    reason = text_problem(given)
    if reason:
        problems.append(Problem(number, "WADMKD", given, reason))
        return None, given, None
    if code:
        if code not in index.codes:
            problems.append(Problem(number, "KDEPUM", code, "is not the code of a desa/kelurahan in this region"))
            return None, given, None
        if given and not _name_fits(index, given, code):
            problems.append(Problem(number, "WADMKD", given, f"is not the name of {code} ({name_of[code]})"))
            return None, given, None
        return code, given, _old_name(index, given, code)
    if not given:
        problems.append(Problem(number, "WADMKD", "", "is empty: give a code or a name"))
        return None, given, None
    candidates, ambiguous = set(), []
    for kab in known_kabkota:
        try:
            candidates.add(index.resolve(given, kab, hint=False))
        except AmbiguousUnitError as exc:
            ambiguous.append(exc)
            if kecamatan:  # the kecamatan may tell them apart
                candidates.update(exc.codes)
        except AtlasError:
            continue
    if kecamatan:
        candidates = {c for c in candidates if normalise_name(kec_of[c]) == kecamatan}
    if kabkota:
        candidates = {c for c in candidates if kabkota in normalise_name(kab_of[c])}
    if len(candidates) == 1:
        code = candidates.pop()
        return code, given, _old_name(index, given, code)
    if candidates:
        listing = ", ".join(f"{c} (Kec. {kec_of[c]}, {kab_of[c]})" for c in sorted(candidates))
        problems.append(
            Problem(
                number, "WADMKD", given, f"matches several units: {listing}; add the code (KDEPUM) or the kecamatan"
            )
        )
    elif ambiguous:
        problems.append(
            Problem(number, "WADMKD", given, f"may be any of {', '.join(ambiguous[0].codes)}; give the code (KDEPUM)")
        )
    else:
        unknown = sum(p.reason.startswith(UNKNOWN_NAME) for p in problems)
        hint = (
            ""
            if unknown >= MAX_UNKNOWN_HINTS
            else next((found for kab in known_kabkota if (found := index.suggest(given, kab))), "")
        )
        problems.append(Problem(number, "WADMKD", given, UNKNOWN_NAME + hint))
    return None, given, None


def _name_fits(index: NameIndex, name: str, code: str) -> bool:
    return index.is_current_name(name, code) or normalise_name(name) in {
        normalise_name(n) for n in index.old_names(code)
    }


def _old_name(index: NameIndex, given: str, code: str) -> str | None:
    """The pre-2015 name a row stands for, or None when it covers the whole current unit."""
    if not given or index.is_current_name(given, code):
        return None
    return given


def cell(cells: list, position: int | None):
    if position is None or position >= len(cells):
        return None
    value = cells[position]
    return value.strip() if isinstance(value, str) else value
