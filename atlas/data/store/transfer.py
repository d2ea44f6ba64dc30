"""Moving a store into another, with nothing lost: every version (stored and retired) with its
rows, import time, latest-view flag and provenance, the whole audit trail in order, the editors
and the column profiles; in one transaction of the target (used by ``atlas db copy-from``)."""

from __future__ import annotations

from atlas.data.store.base import frame_records
from atlas.data.store.files import FolderStore
from atlas.data.store.postgres import (
    PostgresStore,
    insert_audit,
    insert_profiles,
    insert_version,
    replace_editors,
    scalar,
)
from atlas.data.store.schema import SCHEMA
from atlas.errors import StoreSchemaError, StoreWriteError


def copy_store(source: FolderStore, target: PostgresStore) -> dict[str, int]:
    """Copy ``source`` into the empty ``target``; returns how many of each thing were copied.
    Refused (nothing copied) when ``source`` holds a damaged version or ``target`` is not empty."""
    versions, damaged = source.versions()
    if damaged:
        listing = "; ".join(f"{d.key}: {d.reason}" for d in damaged)
        raise StoreWriteError(f"{source.description} holds damaged versions; mend or remove them first: {listing}")
    audit, editors, profiles = source.audit_records(), source.editors(), source.profiles()
    damaged_profiles = [name for name, mapping in profiles.items() if not isinstance(mapping, dict)]
    if damaged_profiles:
        raise StoreWriteError(f"damaged column profiles in {source.description}: {', '.join(damaged_profiles)}")
    with target._change("copy-from") as connection:
        present = scalar(
            connection, f"SELECT (SELECT count(*) FROM {SCHEMA}.versi) + (SELECT count(*) FROM {SCHEMA}.audit)"
        )
        if present:
            raise StoreSchemaError(f"the {target.description} already holds data: copy into an empty store")
        for version in versions:
            insert_version(connection, version, frame_records(source.rows(version)), source.provenance(version))
        insert_audit(connection, audit)
        replace_editors(connection, editors)
        insert_profiles(connection, profiles)
    return {"versions": len(versions), "audit records": len(audit), "editors": len(editors), "profiles": len(profiles)}
