"""The data dictionary (``docs/data-dictionary.md``), generated from the field registry and the
published-totals table, so the documentation cannot drift from what the exports hold.
Regenerate with ``atlas dictionary --out docs/data-dictionary.md --force``."""

from __future__ import annotations

import pandas as pd

from atlas import fields
from atlas.data import indicators

LEVEL_NAMES = {"desa": "desa", "kecamatan": "kecamatan", "kabkota": "kab/kota"}

INTRO = """# Kamus data / Data dictionary

Generated from the field registry (`atlas/fields.py`) and `geodata/published_totals.csv` by
`atlas dictionary`; do not edit by hand. / Dibuat otomatis dari daftar kolom; jangan diubah manual.

Identification fields follow the naming of the administrative layers of BIG's Rupabumi Indonesia
(RBI). Codes are Kemendagri codes (Kepmendagri No 300.2.2-2430 Tahun 2025, as in the pinned
boundary files). Each level carries its own code as identifier: `KDEPUM` (desa), `KDCPUM`
(kecamatan), `KDPKAB` (kab/kota). / Kolom identitas mengikuti penamaan lapisan administrasi RBI
(BIG); setiap tingkat memakai kodenya sendiri sebagai pengenal.

Empty values mean no data, never zero. / Nilai kosong berarti tidak ada data, bukan nol.
"""

OUTRO = """## Geometri / Geometry

GeoJSON exports follow RFC 7946: WGS 84 (EPSG:4326), [longitude, latitude], counter-clockwise
exterior rings, at most 6 decimals (about 0.1 m). Areas are computed in UTM 49S (EPSG:32749).
Invalid upstream geometries are repaired on load and reported by `atlas prepare`. The villages
of the province form one clean coverage (no overlaps, shared borders identical); kecamatan and
kab/kota polygons are the union of their villages, so the levels nest exactly.

## Metadata ekspor / Export metadata

Every GeoPackage (`metadata` table), Shapefile zip (`metadata.csv`), XLSX (`metadata` sheet) and
GeoJSON (`description` member) carries: `judul`, `wilayah` (region), `tahun_data` (dataset year),
`sumber_data` (source of the counts), `sumber_total_terbitan` (sources of the published totals),
`batas_wilayah` (boundary source and commit), `diekspor` (export time, UTC), `perangkat`
(software version), `catatan` (empty = no data). Margin and overlay exports add the provenance
of every model input or the raster (name, band, CRS, size, method).
"""


def data_dictionary(totals: pd.DataFrame | None = None) -> str:
    """The whole data dictionary as Markdown."""
    totals = indicators.load_totals() if totals is None else totals
    parts = [INTRO]
    for group, (title_id, title_en) in fields.GROUPS.items():
        members = [f for f in fields.FIELDS if f.group == group]
        parts.append(f"## {title_id} / {title_en}\n\n" + _field_table(members))
        if group == "overlay":
            parts.append(
                "`r_frac_<kelas>`: bagian luas unit bernilai kelas itu (raster kategori). / "
                "`r_frac_<class>`: share of the unit's area in that class (categorical rasters).\n"
            )
    parts.append(_totals_section(totals))
    parts.append(_shapefile_section(totals))
    parts.append(OUTRO)
    return "\n".join(parts)


def _field_table(members: list[fields.Field]) -> str:
    rows = [
        "| field | Bahasa Indonesia | English | unit | decimals | Shapefile | levels |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in members:
        unit = f.unit_id if f.unit_id == f.unit_en else f"{f.unit_id} / {f.unit_en}"
        levels = ", ".join(LEVEL_NAMES[level] for level in f.levels) or "app"
        decimals = "" if f.decimals is None else str(f.decimals)
        shapefile = f"`{f.shapefile_name}`" if f.levels else ""
        rows.append(
            f"| `{f.name}` | **{f.label_id}**: {f.description_id} | **{f.label_en}**: "
            f"{f.description_en} | {unit} | {decimals} | {shapefile} | {levels} |"
        )
    return "\n".join(rows) + "\n"


def _totals_section(totals: pd.DataFrame) -> str:
    rows = [
        "## Total terbitan / Published totals (kab/kota level)\n",
        "Other sources give totals that disagree with each other and with Tabel 1; they are "
        "carried beside the sums, never averaged. / Sumber lain memberi total yang berbeda; "
        "ditampilkan berdampingan, tidak dirata-rata.\n",
        "| field | Shapefile | kab/kota | indicator | value | year | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in totals.itertuples():
        approx = "~" if row.perkiraan == "yes" else ""
        rows.append(
            f"| `{row.kolom}` | `{row.kolom_shp}` | {row.wilayah} ({row.kode}) | {row.indikator} | "
            f"{approx}{row.nilai:,} | {row.tahun} | {row.sumber} |"
        )
    return "\n".join(rows) + "\n"


def _shapefile_section(totals: pd.DataFrame) -> str:
    renamed = [(f.name, f.shapefile_name) for f in fields.FIELDS if f.levels and f.shapefile_name != f.name]
    renamed += list(zip(totals["kolom"], totals["kolom_shp"]))
    rows = [
        "## Nama kolom Shapefile / Shapefile field names\n",
        "dBASE allows at most 10 characters; the zip holds `kolom.csv` with the mapping. "
        "Fields not listed keep their names. / Kolom lain memakai namanya sendiri.\n",
        "| atlas | Shapefile |",
        "|---|---|",
    ]
    rows += [f"| `{name}` | `{short}` |" for name, short in renamed]
    return "\n".join(rows) + "\n"
