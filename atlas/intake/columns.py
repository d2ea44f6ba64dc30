"""Which column of a user's spreadsheet holds what: the labels the atlas knows, a mapping the
user gives (``--columns "Nama Desa=desa,Jml TK=pekerja"``) or saved as a profile, and the header
row found below any title rows (a two-row header, as government layouts have, is joined).

The atlas's own names for the columns (``TARGETS``) are what a mapping names; a profile is a
saved mapping, kept by the store and reused with ``--profile NAME``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from atlas.data.store import open_store
from atlas.errors import OptionError
from atlas.intake.spreadsheet import MergedCell, header_key

#: The atlas's name of each column -> what it is (the key the importers use).
TARGETS = {
    "kode": "code",
    "desa": "name",
    "kecamatan": "kecamatan",
    "kabkota": "kabkota",
    "pelaku_usaha": "producers",
    "pekerja": "workers",
    "nama_usaha": "business",
    "alamat": "address",
    "bujur": "lon",
    "lintang": "lat",
    "titik_gps": "geopoint",
    "id_kiriman": "instance",
}
#: Header labels recognised without a mapping (normalised with ``spreadsheet.header_key``).
HEADER_ALIASES = {
    "code": {"kdepum", "kode", "kodedesa", "kodekelurahan", "kodedesakelurahan", "kodewilayah"},
    "name": {"wadmkd", "nama", "desa", "kelurahan", "desakelurahan", "namadesa", "namadesakelurahan", "klaster"},
    "kecamatan": {"wadmkc", "kecamatan", "kec", "namakecamatan"},
    "kabkota": {"wadmkk", "kabkota", "kabupatenkota", "kabupaten", "kota"},
    "producers": {"pelakuusaha", "pelaku", "jumlahpelakuusaha", "producers", "jumlahunitusaha", "unitusaha"},
    "workers": {
        "pekerja",
        "jumlahpekerja",
        "tenagakerja",
        "workers",
        "jumlahtenagakerja",
        "tenagakerjajumlah",
        "jmltk",
        "tk",
    },
    "business": {"namausaha", "namaperusahaan", "namaikm", "usaha", "perusahaan", "namaumkm"},
    "address": {"alamat", "alamatusaha", "alamatperusahaan"},
    "lon": {"lon", "long", "longitude", "bujur", "x"},
    "lat": {"lat", "latitude", "lintang", "y"},
}
#: The exports of the atlas's survey form (``atlas survey-form``) as ODK Central and KoboToolbox
#: write them: group prefixes ('usaha-KDEPUM', 'usaha/KDEPUM') and the geopoint split
#: ('lokasi-titik-Latitude', '_lokasi/titik_latitude') or whole ('lokasi-titik': 'lat lon alt acc')
#: give the same header keys; the submission's id is 'meta-instanceID' / 'KEY' or '_uuid'.
SURVEY_PROFILE = {
    "usahakdepum": "code",
    "usahakdcpum": "kecamatan",
    "usahapekerja": "workers",
    "usahanamausaha": "business",
    "lokasititiklatitude": "lat",
    "lokasititiklongitude": "lon",
    "lokasititik": "geopoint",
    "metainstanceid": "instance",
    "key": "instance",
    "uuid": "instance",
}
#: Profiles every atlas knows: the survey form's exports from ODK Central and KoboToolbox.
BUILTIN_PROFILES = {"odk": SURVEY_PROFILE, "kobo": SURVEY_PROFILE}
HEADER_SEARCH_ROWS = 15  # title rows above the header, as government layouts have
PROFILE_NAME = re.compile(r"^[0-9A-Za-z_-]{1,40}$")


@dataclass(frozen=True)
class Header:
    """Where the header is and which column holds what."""

    number: int  # the header row as the user sees it (the last row of a two-row header)
    position: int  # index of the first data row in the rows list
    columns: dict[str, int]  # what -> column position
    labels: list[str]  # the header labels (joined for a two-row header)


def parse_mapping(text: str | None) -> dict[str, str]:
    """``"Nama Desa=desa,Jml TK=pekerja"`` -> {header key of the label: what}; a clear error for
    an unknown atlas column."""
    mapping: dict[str, str] = {}
    for part in (p for p in (text or "").split(",") if p.strip()):
        label, sep, target = part.rpartition("=")
        target = target.strip().casefold()
        if not sep or not label.strip():
            raise OptionError(f"--columns: {part.strip()!r} is not LABEL=column (e.g. 'Nama Desa=desa')")
        if target not in TARGETS:
            raise OptionError(f"--columns: unknown atlas column {target!r}; use one of {', '.join(TARGETS)}")
        mapping[header_key(label)] = TARGETS[target]
    return mapping


def find_header(rows: list[tuple[int, list]], mapping: dict[str, str], needed: int = 2) -> Header | None:
    """The first row (of the first ``HEADER_SEARCH_ROWS``) in which at least ``needed`` columns
    are recognised; a second header row below it (sub-labels under merged cells) is joined."""
    for position, (number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        labels = _labels(cells)
        if position + 1 < len(rows) and _is_sub_header(rows[position + 1][1]):
            joined = _joined(labels, _labels(rows[position + 1][1]))
            columns = recognised(joined, mapping)
            if len(columns) >= needed:
                return Header(rows[position + 1][0], position + 2, columns, joined)
        columns = recognised(labels, mapping)
        if len(columns) >= needed:
            return Header(number, position + 1, columns, labels)
    return None


def recognised(labels: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """What each recognised label holds -> its column (a mapping wins over the known labels)."""
    columns: dict[str, int] = {}
    for position, label in enumerate(labels):
        key = header_key(label)
        what = mapping.get(key) or next((w for w, aliases in HEADER_ALIASES.items() if key in aliases), None)
        if what and what not in columns:
            columns[what] = position
    return columns


def propose(labels: list[str]) -> dict[str, str | None]:
    """For each header label, the atlas column it most likely holds (None when unknown): the
    proposal a user confirms in the app."""
    found = recognised(labels, {})
    by_position = {position: what for what, position in found.items()}
    names = {what: target for target, what in TARGETS.items()}
    return {label: names.get(by_position.get(i, "")) for i, label in enumerate(labels)}


def _labels(cells: list) -> list[str]:
    return ["" if c is None or isinstance(c, MergedCell) else str(c).strip() for c in cells]


def _is_sub_header(cells: list) -> bool:
    """A row of short labels only (no numbers): sub-labels under merged header cells."""
    texts = [c for c in cells if c is not None and not isinstance(c, MergedCell) and str(c).strip()]
    return bool(texts) and all(isinstance(c, str) and not re.search(r"\d", c) for c in texts)


def _joined(top: list[str], below: list[str]) -> list[str]:
    """Labels of a two-row header: each sub-label prefixed with the merged label above it."""
    joined, parent = [], ""
    for i in range(max(len(top), len(below))):
        above = top[i] if i < len(top) else ""
        parent = above or parent
        sub = below[i] if i < len(below) else ""
        joined.append(f"{parent} {sub}".strip() if sub else above)
    return joined


def save_profile(name: str, mapping: dict[str, str]) -> str:
    """Store a mapping under ``name`` for later imports; returns where profiles are kept."""
    if not PROFILE_NAME.fullmatch(name):
        raise OptionError(f"profile name {name!r}: use letters, digits, - and _ (at most 40)")
    if name in BUILTIN_PROFILES:
        raise OptionError(f"{name!r} is a built-in profile (the survey form's exports): save under another name")
    store = open_store()
    store.save_profile(name, mapping)
    return store.description


def saved_profiles() -> list[str]:
    """Names of the built-in and the saved column mappings."""
    return sorted({*BUILTIN_PROFILES, *open_store().profiles()})


def load_profile(name: str) -> dict[str, str]:
    """A built-in or saved mapping; a clear error when there is none of that name."""
    if name in BUILTIN_PROFILES:
        return dict(BUILTIN_PROFILES[name])
    profiles = open_store().profiles()
    if name not in profiles:
        raise OptionError(f"no column profile {name!r}; saved profiles: {', '.join(sorted(profiles)) or 'none'}")
    mapping = profiles[name]
    if not isinstance(mapping, dict) or not set(mapping.values()) <= set(TARGETS.values()):
        raise OptionError(f"the column profile {name!r} is damaged; save it again")
    return {str(k): str(v) for k, v in mapping.items()}
