"""The shared store in PostgreSQL/PostGIS (``ATLAS_DATABASE_URL``): several app servers, one
database, and the office's GIS reading the same tables.

Each operation opens one connection and, for a change, one transaction: the version, its rows
(``COPY``), its audit record and the change counter commit together or not at all. A change
first takes a transaction-scoped advisory lock on the version's key, so "is it new?" and the
write are one step for every server. The schema is built and upgraded by ``atlas db init`` and
``atlas db upgrade`` (``schema.MIGRATIONS``); an operation on a database of another schema
version is refused with what to run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace as changed

import pandas as pd
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from atlas.data import indicators
from atlas.data.store.base import (
    STORED_KINDS,
    AuditRecord,
    DamagedVersion,
    NewVersion,
    Store,
    Version,
    change_record,
    exists_message,
    move_refused_message,
    version_text,
)
from atlas.data.store.schema import MIGRATIONS, ROW_TABLES, SCHEMA, SCHEMA_VERSION
from atlas.errors import StoreSchemaError, StoreUnavailableError, StoreWriteError, VersionExistsError

CONNECT_TIMEOUT_S = 5
#: SQLSTATE classes of a refused write: 25 (read-only transaction), 42501 (no privilege), 53 (disk full, out of memory)
REFUSED_WRITES = ("25", "42501", "53")
AUDIT_FIELDS = tuple(AuditRecord.__dataclass_fields__)


class PostgresStore(Store):
    """The store in the PostgreSQL database at ``url``."""

    def __init__(self, url: str):
        self.url = url
        self.description = describe(url)

    # --- reading ------------------------------------------------------------------------------

    def versions(self) -> tuple[list[Version], list[DamagedVersion]]:
        with self._connection() as connection:
            found = connection.execute(
                f"SELECT kunci, jenis, tahun, sumber, diimpor, di_terbaru, pensiun FROM {SCHEMA}.versi ORDER BY kunci"
            ).fetchall()
        return [Version(*row) for row in found], []

    def rows(self, version: Version) -> pd.DataFrame:
        schema = STORED_KINDS[version.kind][1]
        columns = [c.name for c in schema.columns]
        query = sql.SQL("SELECT {} FROM {}.{} WHERE kunci = %s AND pensiun = %s ORDER BY baris").format(
            sql.SQL(", ").join(map(sql.Identifier, columns)),
            sql.Identifier(SCHEMA),
            sql.Identifier(ROW_TABLES[version.kind]),
        )
        with self._connection() as connection:
            found = connection.execute(query, [version.key, version.retired]).fetchall()
        frame = pd.DataFrame(found, columns=columns)
        frame.index = pd.Index(range(2, len(frame) + 2), name="line")  # as the lines of the folder's CSV
        for column in schema.columns:
            if column.kind in ("count", "year"):
                frame[column.name] = frame[column.name].astype("int64" if column.required else "Int64")
        return frame

    def signature(self) -> str:
        with self._connection() as connection:
            return str(scalar(connection, f"SELECT nomor FROM {SCHEMA}.perubahan"))

    def provenance(self, version: Version) -> dict | None:
        with self._connection() as connection:
            found = connection.execute(
                f"SELECT asal FROM {SCHEMA}.versi WHERE kunci = %s AND pensiun = %s", [version.key, version.retired]
            ).fetchone()
        return found[0] if found else None

    def audit_records(self) -> list[AuditRecord]:
        columns = ", ".join(AUDIT_FIELDS)
        with self._connection() as connection:
            found = connection.execute(f"SELECT {columns} FROM {SCHEMA}.audit ORDER BY nomor").fetchall()
        return [AuditRecord(*row) for row in found]

    def editors(self) -> dict[str, str]:
        with self._connection() as connection:
            return dict(connection.execute(f"SELECT nama, hash FROM {SCHEMA}.editor").fetchall())

    def profiles(self) -> dict[str, dict[str, str]]:
        with self._connection() as connection:
            return dict(connection.execute(f"SELECT nama, pemetaan FROM {SCHEMA}.profil_kolom").fetchall())

    # --- changing -----------------------------------------------------------------------------

    def add_version(self, new: NewVersion, *, replace: bool) -> bool:
        version = new.version
        with self._change(version.key) as connection:
            replaced = _exists(connection, version.key, retired=False)
            if replaced and not replace:
                raise VersionExistsError(exists_message(version))
            if replaced:
                connection.execute(f"DELETE FROM {SCHEMA}.versi WHERE kunci = %s AND NOT pensiun", [version.key])
            insert_version(connection, version, new.records, new.provenance)
            audit = new.audit if not replaced else changed(new.audit, tindakan="replace")
            insert_audit(connection, [audit])
        return replaced

    def move_version(self, version: Version, *, retire: bool, editor: str) -> Version:
        with self._change(version.key) as connection:
            if _exists(connection, version.key, retired=retire):
                raise VersionExistsError(move_refused_message(version, retire))
            audit = change_record(version, self.rows(version), "retire" if retire else "restore", editor)
            connection.execute(
                f"UPDATE {SCHEMA}.versi SET pensiun = %s WHERE kunci = %s AND pensiun = %s",
                [retire, version.key, version.retired],
            )
            insert_audit(connection, [audit])
        return changed(version, retired=retire)

    def set_in_latest(self, version: Version, include: bool, editor: str) -> Version:
        with self._change(version.key) as connection:
            audit = change_record(version, self.rows(version), "include" if include else "exclude", editor)
            connection.execute(
                f"UPDATE {SCHEMA}.versi SET di_terbaru = %s WHERE kunci = %s AND pensiun = %s",
                [include, version.key, version.retired],
            )
            insert_audit(connection, [audit])
        return changed(version, in_latest=include)

    def save_editors(self, editors: dict[str, str]) -> None:
        with self._change("editors") as connection:
            replace_editors(connection, editors)

    def save_profile(self, name: str, mapping: dict[str, str]) -> None:
        with self._change("profiles") as connection:
            insert_profiles(connection, {name: mapping})

    # --- connections and transactions ---------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        """A connection to a database of this atlas's schema version; its transaction commits when
        the block ends without error and rolls back otherwise."""
        with connect(self.url) as connection, translated_errors(self.description):
            check_schema(connection, self.description)
            yield connection

    @contextmanager
    def _change(self, key: str) -> Iterator[psycopg.Connection]:
        """One change: the lock on ``key`` for this transaction, and the change counter moved on."""
        with self._connection() as connection:
            connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
            yield connection
            connection.execute(f"UPDATE {SCHEMA}.perubahan SET nomor = nomor + 1")


def describe(url: str) -> str:
    """The database as messages name it: host, port and name, never the password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "database (ATLAS_DATABASE_URL cannot be read)"
    where = parts.get("host") or "local socket"
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"database {parts.get('dbname', '')} on {where}{port}"


@contextmanager
def connect(url: str) -> Iterator[psycopg.Connection]:
    """A connection, or a ``StoreUnavailableError`` saying where the database should have been."""
    try:
        connection = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S, application_name="batik-atlas")
    except (psycopg.OperationalError, psycopg.ProgrammingError) as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise StoreUnavailableError(f"the {describe(url)} cannot be reached: {reason}") from None
    with connection:
        yield connection


@contextmanager
def translated_errors(description: str) -> Iterator[None]:
    """The database's refusals as the atlas's errors (nothing was changed: the transaction is rolled back)."""
    try:
        yield
    except psycopg.Error as exc:
        state = exc.sqlstate or ""
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if state.startswith(REFUSED_WRITES):
            raise StoreWriteError(f"the {description} refused the change ({reason}); nothing was changed") from None
        if isinstance(exc, psycopg.OperationalError):
            raise StoreUnavailableError(f"the {description} stopped answering: {reason}") from None
        raise


def schema_version(connection: psycopg.Connection) -> int | None:
    """The schema version of the database, or None when it has no atlas schema."""
    if scalar(connection, "SELECT to_regclass(%s)", [f"{SCHEMA}.skema"]) is None:
        return None
    return int(scalar(connection, f"SELECT versi FROM {SCHEMA}.skema"))


def scalar(connection: psycopg.Connection, query: str, parameters: list | None = None):
    """The one value a query returns."""
    row = connection.execute(query, parameters).fetchone()
    if row is None:
        raise StoreSchemaError(f"no answer to {query!r}: the atlas tables are damaged")
    return row[0]


def check_schema(connection: psycopg.Connection, description: str) -> None:
    found = schema_version(connection)
    if found == SCHEMA_VERSION:
        return
    if found is None:
        raise StoreSchemaError(f"the {description} holds no atlas tables: run 'atlas db init' once")
    if found < SCHEMA_VERSION:
        raise StoreSchemaError(
            f"the {description} has schema version {found}, this atlas needs {SCHEMA_VERSION}: run 'atlas db upgrade'"
        )
    raise StoreSchemaError(
        f"the {description} has schema version {found}, newer than this atlas's {SCHEMA_VERSION}: update the atlas"
    )


def migrate(url: str, *, create: bool, to: int = SCHEMA_VERSION) -> tuple[int | None, int]:
    """Create the atlas schema (``create``) or bring it forward, to schema version ``to``, in one
    transaction; returns (version before, version after)."""
    description = describe(url)
    with connect(url) as connection, translated_errors(description):
        connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        before = schema_version(connection)
        if create and before is not None:
            raise StoreSchemaError(f"the {description} already holds the atlas tables (schema version {before})")
        if not create and before is None:
            raise StoreSchemaError(f"the {description} holds no atlas tables: run 'atlas db init' once")
        if before is not None and before > to:
            raise StoreSchemaError(f"the {description} has schema version {before}, newer than {to}")
        if create:
            connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(SCHEMA)))
        for step in range(before or 0, to):
            connection.execute(MIGRATIONS[step])
            connection.execute(f"UPDATE {SCHEMA}.skema SET versi = %s", [step + 1])
    return before, to


def _exists(connection: psycopg.Connection, key: str, *, retired: bool) -> bool:
    found = connection.execute(
        f"SELECT 1 FROM {SCHEMA}.versi WHERE kunci = %s AND pensiun = %s", [key, retired]
    ).fetchone()
    return found is not None


def insert_version(connection: psycopg.Connection, version: Version, records: list[dict], provenance) -> None:
    """A version and its rows (the rows by ``COPY``)."""
    text = version_text(records, version.kind)
    connection.execute(
        f"INSERT INTO {SCHEMA}.versi (kunci, pensiun, jenis, tahun, sumber, diimpor, di_terbaru, sha256, asal)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            version.key,
            version.retired,
            version.kind,
            version.year,
            version.source,
            version.imported_at,
            version.in_latest,
            hashlib.sha256(text.encode("utf-8")).hexdigest(),
            None if provenance is None else json.dumps(provenance, ensure_ascii=False),
        ],
    )
    schema = STORED_KINDS[version.kind][1]
    names = [c.name for c in schema.columns]
    copy = sql.SQL("COPY {}.{} (kunci, pensiun, baris, {}) FROM STDIN").format(
        sql.Identifier(SCHEMA), sql.Identifier(ROW_TABLES[version.kind]), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    with connection.cursor() as cursor, cursor.copy(copy) as rows:
        for number, record in enumerate(records):
            rows.write_row(
                [
                    version.key,
                    version.retired,
                    number,
                    *(_cell(record.get(n), c) for n, c in zip(names, schema.columns)),
                ]
            )


def _cell(value, column: indicators.Column):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None if column.kind in ("count", "year") else ""
    if column.kind in ("count", "year"):
        return None if value == "" else int(value)
    return str(value)


def insert_audit(connection: psycopg.Connection, records: list[AuditRecord]) -> None:
    columns = ", ".join(AUDIT_FIELDS)
    places = ", ".join(["%s"] * len(AUDIT_FIELDS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {SCHEMA}.audit ({columns}) VALUES ({places})",
            [[getattr(r, f) for f in AUDIT_FIELDS] for r in records],
        )


def replace_editors(connection: psycopg.Connection, editors: dict[str, str]) -> None:
    connection.execute(f"DELETE FROM {SCHEMA}.editor")
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {SCHEMA}.editor (nama, hash) VALUES (%s, %s)", list(editors.items()))


def insert_profiles(connection: psycopg.Connection, profiles: dict) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {SCHEMA}.profil_kolom (nama, pemetaan) VALUES (%s, %s)"
            " ON CONFLICT (nama) DO UPDATE SET pemetaan = EXCLUDED.pemetaan",
            [(name, json.dumps(mapping, ensure_ascii=False)) for name, mapping in profiles.items()],
        )
