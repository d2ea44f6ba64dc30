"""The atlas's tables in PostgreSQL (schema ``atlas``), their comments in Bahasa Indonesia and
English, and the forward migrations that build them: ``MIGRATIONS[n]`` takes a database from
schema version ``n`` to ``n + 1``; ``SCHEMA_VERSION`` is what this atlas reads and writes.

The row tables' columns are those of the stored tables (``atlas.data.indicators``); where the
field registry (``atlas.fields``) knows a column, its labels are the column's comment.
"""

from __future__ import annotations

from atlas import fields
from atlas.data import indicators
from atlas.data.store.base import ACTIONS
from atlas.data.values import FIRST_YEAR, LAST_YEAR, MAX_COUNT

SCHEMA = "atlas"
#: where ``atlas db publish-layers`` writes the layers the office's GIS reads
LAYERS_SCHEMA = "atlas_lapisan"
#: the tables holding each stored kind's rows
ROW_TABLES = {"imported": "hitungan_desa", "kecamatan": "hitungan_kecamatan"}

#: what the columns of the stored tables that the field registry does not hold mean
STORED_COLUMNS = {
    "nama_di_sumber": ("Nama wilayah seperti tertulis di berkas sumber", "Unit name as written in the source file"),
    "kelurahan_lama": (
        "Nama kelurahan sebelum penggabungan 2015 (jika baris untuk bagian itu)",
        "Pre-2015 kelurahan name (when the row is for that part)",
    ),
    "diimpor": ("Waktu impor (UTC, ISO 8601)", "Time of import (UTC, ISO 8601)"),
    "berkas": ("Nama berkas yang diimpor", "Name of the imported file"),
}
TABLE_COMMENTS = {
    "skema": ("Versi skema basis data atlas", "Schema version of the atlas database"),
    "perubahan": ("Penghitung perubahan: naik pada setiap perubahan data", "Change counter: goes up with every change"),
    "versi": (
        "Versi data jumlah (satu per jenis, tahun dan sumber); pensiun = disimpan tetapi tidak dipakai",
        "Dataset versions of the counts (one per kind, year and source); pensiun = retired, kept",
    ),
    "hitungan_desa": ("Jumlah per desa/kelurahan setiap versi", "Counts per desa/kelurahan of each version"),
    "hitungan_kecamatan": ("Jumlah per kecamatan setiap versi", "Counts per kecamatan of each version"),
    "audit": ("Jejak perubahan: siapa mengubah apa, kapan", "Audit trail: who changed what, when"),
    "editor": (
        "Editor yang boleh mengubah data (hanya hash kata sandi)",
        "Editors who may change data (password hashes only)",
    ),
    "profil_kolom": ("Pemetaan kolom tersimpan untuk impor", "Saved column mappings for imports"),
}


def _comment(text: tuple[str, str]) -> str:
    return "'" + f"{text[0]} / {text[1]}".replace("'", "''") + "'"


def _column_type(column: indicators.Column) -> str:
    if column.kind == "count":
        check = f"CHECK ({{name}} BETWEEN 0 AND {MAX_COUNT})"
    elif column.kind == "year":
        check = f"CHECK ({{name}} BETWEEN {FIRST_YEAR} AND {LAST_YEAR})"
    else:
        return "text NOT NULL" + (" DEFAULT ''" if not column.required else "")
    return "integer" + (" NOT NULL " if column.required else " ") + check


def _rows_table(table: str, schema: indicators.TableSchema) -> str:
    columns = ",\n    ".join(f'"{c.name}" ' + _column_type(c).format(name=f'"{c.name}"') for c in schema.columns)
    comments = "\n".join(
        f'COMMENT ON COLUMN {SCHEMA}.{table}."{c.name}" IS {_comment(_column_description(c.name))};'
        for c in schema.columns
    )
    return f"""
CREATE TABLE {SCHEMA}.{table} (
    kunci text NOT NULL,
    pensiun boolean NOT NULL,
    baris integer NOT NULL,
    {columns},
    PRIMARY KEY (kunci, pensiun, baris),
    FOREIGN KEY (kunci, pensiun) REFERENCES {SCHEMA}.versi ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE {SCHEMA}.{table} IS {_comment(TABLE_COMMENTS[table])};
{comments}
"""


def _column_description(name: str) -> tuple[str, str]:
    if fields.is_known(name):
        known = fields.field(name)
        return known.description_id, known.description_en
    return STORED_COLUMNS[name]


def _version_1() -> str:
    actions = ", ".join(f"'{a}'" for a in ACTIONS)
    tables = "\n".join(
        f"COMMENT ON TABLE {SCHEMA}.{t} IS {_comment(c)};"
        for t, c in TABLE_COMMENTS.items()
        if not t.startswith("hitungan")
    )
    return f"""
CREATE TABLE {SCHEMA}.skema (versi integer NOT NULL);
INSERT INTO {SCHEMA}.skema VALUES (0);
CREATE TABLE {SCHEMA}.perubahan (nomor bigint NOT NULL);
INSERT INTO {SCHEMA}.perubahan VALUES (0);
CREATE TABLE {SCHEMA}.versi (
    kunci text NOT NULL,
    pensiun boolean NOT NULL DEFAULT false,
    jenis text NOT NULL CHECK (jenis IN ('imported', 'kecamatan')),
    tahun integer NOT NULL CHECK (tahun BETWEEN {FIRST_YEAR} AND {LAST_YEAR}),
    sumber text NOT NULL,
    diimpor text NOT NULL,
    di_terbaru boolean NOT NULL DEFAULT true,
    sha256 text NOT NULL,
    asal jsonb,
    PRIMARY KEY (kunci, pensiun)
);
COMMENT ON COLUMN {SCHEMA}.versi.di_terbaru IS {_comment(("Dipakai di tampilan terbaru per wilayah", "Used in the latest-per-unit view"))};
COMMENT ON COLUMN {SCHEMA}.versi.sha256 IS {_comment(("SHA-256 dari teks CSV baku versi ini", "SHA-256 of this version's canonical CSV text"))};
COMMENT ON COLUMN {SCHEMA}.versi.asal IS {_comment(("Asal-usul di luar jumlah (impor direktori)", "Provenance beyond the counts (directory imports)"))};
{_rows_table("hitungan_desa", indicators.IMPORTED_SCHEMA)}
{_rows_table("hitungan_kecamatan", indicators.KECAMATAN_SCHEMA)}
CREATE TABLE {SCHEMA}.audit (
    nomor bigserial PRIMARY KEY,
    waktu text NOT NULL,
    editor text NOT NULL,
    tindakan text NOT NULL CHECK (tindakan IN ({actions})),
    berkas text NOT NULL,
    sha256 text NOT NULL,
    baris integer NOT NULL,
    unit integer NOT NULL,
    tahun integer NOT NULL,
    sumber text NOT NULL,
    versi text NOT NULL
);
CREATE TABLE {SCHEMA}.editor (nama text PRIMARY KEY, hash text NOT NULL);
CREATE TABLE {SCHEMA}.profil_kolom (nama text PRIMARY KEY, pemetaan jsonb NOT NULL);
{tables}
"""


def _version_2() -> str:
    return f"""
CREATE SCHEMA IF NOT EXISTS {LAYERS_SCHEMA};
COMMENT ON SCHEMA {LAYERS_SCHEMA} IS {_comment(("Lapisan atlas untuk GeoServer, QGIS dan ogr2ogr (EPSG:4326)", "Atlas layers for GeoServer, QGIS and ogr2ogr (EPSG:4326)"))};
CREATE TABLE {SCHEMA}.lapisan_terbit (
    nama text PRIMARY KEY,
    judul text NOT NULL,
    tingkat text NOT NULL,
    diterbitkan text NOT NULL,
    perubahan bigint NOT NULL
);
COMMENT ON TABLE {SCHEMA}.lapisan_terbit IS {_comment(("Lapisan yang diterbitkan di skema atlas_lapisan", "Layers published in the atlas_lapisan schema"))};
"""


#: ``MIGRATIONS[n]`` brings schema version n to n + 1 (never edit one that has shipped: add one).
MIGRATIONS: tuple[str, ...] = (_version_1(), _version_2())
SCHEMA_VERSION = len(MIGRATIONS)
