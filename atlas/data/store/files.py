"""The embedded store: a folder on this machine's disk, no server needed (the default).

Layout of the folder (``ATLAS_DATASETS_DIR``): one CSV per stored version (``<key>.csv``),
``retired/`` for retired versions, ``latest_exclusions.json``, ``audit.jsonl`` (one JSON line per
change), ``meta/<key>.json`` (a directory import's provenance) and ``profiles/<name>.json``;
the editors live in their own file (``ATLAS_EDITORS_FILE``), never in the repository.

A change holds an exclusive lock on ``.lock`` (``flock``: between threads and processes of this
machine) from its check to its audit record. It first writes its audit record to ``.pending.json``
with the file and content the change will leave, then makes the change, appends the audit line
and removes the note; the next change (or reader) that finds a note rolls it forward when the
change reached the disk and drops it otherwise, so a version never stands without its record.
Every file is written atomically and with ``fsync`` (``atlas.atomic``).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from dataclasses import replace as changed
from pathlib import Path

import pandas as pd

from atlas.atomic import atomic_path, fsync_folder
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
from atlas.errors import AtlasError, EditorsFileError, StoreWriteError, VersionExistsError

RETIRED_FOLDER = "retired"
EXCLUSIONS_FILE = "latest_exclusions.json"
AUDIT_FILE = "audit.jsonl"
PENDING_FILE = ".pending.json"
ROOM_MARGIN_BYTES = 1 * 2**20  # free space kept beyond a change's own files (temporary copies, fsync)
LOCK_FILE = ".lock"


class FolderStore(Store):
    """The store in ``folder`` (versions, audit, profiles) and ``editors_file``."""

    def __init__(self, folder: Path, editors_file: Path):
        self.folder = Path(folder)
        self.editors_file = Path(editors_file)
        self.description = f"folder {self.folder}"

    # --- reading ------------------------------------------------------------------------------

    def versions(self) -> tuple[list[Version], list[DamagedVersion]]:
        self._recover_if_pending()
        excluded = self._excluded()
        found, damaged = [], []
        for retired, folder in ((False, self.folder), (True, self.folder / RETIRED_FOLDER)):
            for kind, path in _version_files(folder):
                try:
                    first = _read(path, kind).iloc[0]
                except (AtlasError, OSError) as exc:
                    damaged.append(DamagedVersion(path.stem, str(exc)))
                    continue
                key = path.stem
                version = Version(key, kind, int(first["tahun"]), str(first["sumber"]), str(first["diimpor"]))
                found.append(changed(version, in_latest=path.name not in excluded, retired=retired))
        return found, damaged

    def rows(self, version: Version) -> pd.DataFrame:
        return _read(self._path(version), version.kind)

    def signature(self) -> str:
        files = [path for folder in (self.folder, self.folder / RETIRED_FOLDER) for _, path in _version_files(folder)]
        files += [self.folder / EXCLUSIONS_FILE, self.folder / AUDIT_FILE, self.editors_file]
        files += sorted((self.folder / "profiles").glob("*.json"))
        stamps = []
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps.append(f"{path}:{stat.st_mtime_ns}:{stat.st_size}")
        return hashlib.sha256("\n".join(stamps).encode()).hexdigest()

    def provenance(self, version: Version) -> dict | None:
        try:
            found = json.loads(self._provenance_path(version.key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # none, or damaged: the counts stand without it
        return found if isinstance(found, dict) else None

    def audit_records(self) -> list[AuditRecord]:
        self._recover_if_pending()
        path = self.folder / AUDIT_FILE
        if not path.is_file():
            return []
        found = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                found.append(AuditRecord(**json.loads(line)))
            except (ValueError, TypeError):
                continue  # a damaged line is skipped
        return found

    def editors(self) -> dict[str, str]:
        if not self.editors_file.is_file():
            return {}
        try:
            data = json.loads(self.editors_file.read_text(encoding="utf-8"))
            editors = data["editors"]
            if not all(isinstance(k, str) and isinstance(v, str) for k, v in editors.items()):
                raise TypeError("names and hashes must be text")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise EditorsFileError(f"{self.editors_file.name}: not an editors file ({exc})") from None
        return dict(editors)

    def profiles(self) -> dict[str, dict[str, str]]:
        found = {}
        for path in sorted((self.folder / "profiles").glob("*.json")):
            try:
                mapping = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                mapping = None  # damaged: listed, refused when used
            found[path.stem] = mapping
        return found

    # --- changing -----------------------------------------------------------------------------

    def add_version(self, new: NewVersion, *, replace: bool) -> bool:
        version = new.version
        target = self.folder / f"{version.key}.csv"
        with self._locked():
            replaced = target.exists()
            if replaced and not replace:
                raise VersionExistsError(exists_message(version))
            audit = new.audit if not replaced else changed(new.audit, tindakan="replace")
            text = version_text(new.records, version.kind)
            with self._pending(audit, target, text.encode("utf-8")):
                if new.provenance is not None:
                    _write(self._provenance_path(version.key), _json(new.provenance))
                _write(target, text)
        return replaced

    def move_version(self, version: Version, *, retire: bool, editor: str) -> Version:
        source = self._path(version)
        target = self.folder / (RETIRED_FOLDER if retire else "") / source.name
        with self._locked():
            if target.exists():
                raise VersionExistsError(move_refused_message(version, retire))
            audit = change_record(version, self.rows(version), "retire" if retire else "restore", editor)
            with self._pending(audit, target, source.read_bytes()):
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
                fsync_folder(source.parent)
                fsync_folder(target.parent)
        return changed(version, retired=retire)

    def set_in_latest(self, version: Version, include: bool, editor: str) -> Version:
        name = f"{version.key}.csv"
        with self._locked():
            names = self._excluded()
            names = names - {name} if include else names | {name}
            text = json.dumps(sorted(names), ensure_ascii=False, indent=1) + "\n"
            audit = change_record(version, self.rows(version), "include" if include else "exclude", editor)
            path = self.folder / EXCLUSIONS_FILE
            with self._pending(audit, path, text.encode("utf-8")):
                _write(path, text)
        return changed(version, in_latest=include)

    def save_editors(self, editors: dict[str, str]) -> None:
        with atomic_path(self.editors_file) as tmp:
            tmp.write_text(json.dumps({"editors": editors}, indent=1, sort_keys=True), encoding="utf-8")
            os.chmod(tmp, 0o600)

    def save_profile(self, name: str, mapping: dict[str, str]) -> None:
        _write(self.folder / "profiles" / f"{name}.json", _json(mapping, sort_keys=True))

    # --- one change at a time, all or nothing -------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The folder's exclusive lock (threads and processes alike); a change left half-done
        by a killed process is finished or dropped first."""
        self.folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o640)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            self._recover()
            yield
        finally:
            os.close(descriptor)  # closing releases the lock

    @contextmanager
    def _pending(self, audit: AuditRecord, changed: Path, content: bytes) -> Iterator[None]:
        """Note the change (its audit record, the file it leaves and that file's content), make
        it, then append its audit record and drop the note."""
        note = {"audit": asdict(audit), "file": str(changed.relative_to(self.folder)), "sha256": _sha(content)}
        self._check_room(len(content) + len(_json(note).encode()) * 2)
        _write(self.folder / PENDING_FILE, _json(note))
        yield
        self._append_audit(audit)
        (self.folder / PENDING_FILE).unlink()
        fsync_folder(self.folder)

    def _check_room(self, needed: int) -> None:
        """Refuse a change the disk has no room for, before any of it is written: a change whose
        audit line no longer fits would leave a version without its record."""
        stat = os.statvfs(self.folder)
        free = stat.f_bavail * stat.f_frsize
        if free < needed + ROOM_MARGIN_BYTES:
            raise StoreWriteError(
                f"the disk of {self.folder} has {free / 2**20:,.1f} MiB free, too little for this change "
                f"({(needed + ROOM_MARGIN_BYTES) / 2**20:,.1f} MiB with its audit record); nothing was changed"
            )

    def _recover_if_pending(self) -> None:
        if (self.folder / PENDING_FILE).exists():
            with self._locked():
                pass

    def _recover(self) -> None:
        """Finish the change a killed process left noted (when it reached the disk) or drop it."""
        path = self.folder / PENDING_FILE
        try:
            note = json.loads(path.read_text(encoding="utf-8"))
            audit = AuditRecord(**note["audit"])
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError, KeyError):
            path.unlink(missing_ok=True)  # a note cut short: its change had not started
            return
        changed = self.folder / note["file"]
        done = changed.is_file() and _sha(changed.read_bytes()) == note["sha256"]
        trail = (self.folder / AUDIT_FILE).read_text(encoding="utf-8") if (self.folder / AUDIT_FILE).exists() else ""
        recorded = trail.endswith(json.dumps(asdict(audit), ensure_ascii=False) + "\n")
        if done and not recorded:
            self._append_audit(audit)
        path.unlink()
        fsync_folder(self.folder)

    def _append_audit(self, record: AuditRecord) -> None:
        line = json.dumps(asdict(record), ensure_ascii=False) + "\n"
        descriptor = os.open(self.folder / AUDIT_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, line.encode("utf-8"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    # --- where things are ---------------------------------------------------------------------

    def _path(self, version: Version) -> Path:
        return self.folder / (RETIRED_FOLDER if version.retired else "") / f"{version.key}.csv"

    def _provenance_path(self, key: str) -> Path:
        return self.folder / "meta" / f"{key}.json"

    def _excluded(self) -> set[str]:
        """File names of the versions kept out of the latest-count view; an unreadable list keeps
        nothing out (every version counts), as if no editor had asked."""
        try:
            names = json.loads((self.folder / EXCLUSIONS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        return {name for name in names if isinstance(name, str)} if isinstance(names, list) else set()


def _version_files(folder: Path) -> list[tuple[str, Path]]:
    """(kind, file) of every stored version in ``folder``."""
    if not folder.is_dir():
        return []
    return [
        (kind, path) for kind, (prefix, _) in STORED_KINDS.items() for path in sorted(folder.glob(f"{prefix}_*.csv"))
    ]


def _read(path: Path, kind: str) -> pd.DataFrame:
    return indicators.read_table(path, STORED_KINDS[kind][1])


def _write(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _json(value, sort_keys: bool = False) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=sort_keys) + "\n"


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
