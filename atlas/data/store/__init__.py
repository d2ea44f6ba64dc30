"""The store: where everything that many people share lives, behind one interface.

What it holds: dataset versions with their rows, year, source, import time and SHA-256
(``Version``), retired versions, the versions kept out of the latest-count view, the audit trail
(``AuditRecord``), editors (password hashes only) and saved column profiles. The built-in Tabel 1
is package data, not stored.

Two backends implement ``Store`` (``base.py``):

- ``FolderStore`` (``files.py``), the default: a folder on this machine's disk
  (``ATLAS_DATASETS_DIR``) and the editors file; no server to install. One server at a time.
- ``PostgresStore`` (``postgres.py``), chosen by ``ATLAS_DATABASE_URL=postgresql://...``: tables in
  the schema ``atlas`` of a PostgreSQL/PostGIS database, shared by several app servers and read by
  the office's GIS (``atlas db publish-layers`` writes the layers beside them).

Every change (import, replace, retire, restore, exclude, include) is one transaction: the version
and its audit record commit together or not at all, and the check that a version is new holds
until it is written (two editors importing the same year and source at once: one wins, the other
gets ``VersionExistsError``). Caches are keyed by ``Store.signature()``, which changes with
every change, in whichever server made it.

Nothing above this package knows which backend it has: it calls ``open_store()``.
"""

from __future__ import annotations

from atlas import config
from atlas.data.store.base import (
    ACTIONS,
    STORED_KINDS,
    AuditRecord,
    DamagedVersion,
    NewVersion,
    Store,
    Version,
    version_key,
    version_text,
)

__all__ = [
    "ACTIONS",
    "STORED_KINDS",
    "AuditRecord",
    "DamagedVersion",
    "NewVersion",
    "Store",
    "Version",
    "open_store",
    "version_key",
    "version_text",
]


def open_store() -> Store:
    """The store configured for this process: PostgreSQL when ``ATLAS_DATABASE_URL`` is set,
    else the datasets folder. Cheap: a database connection is opened per operation."""
    url = config.database_url()
    if url:
        from atlas.data.store.postgres import PostgresStore

        return PostgresStore(url)
    from atlas.data.store.files import FolderStore

    return FolderStore(config.datasets_dir(), config.editors_file())
