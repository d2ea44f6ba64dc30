"""Atomic file writes: write to a temporary file beside the target, then rename over it.

A write killed half-way leaves only its hidden temporary file (``.NAME.XXXXXXXX.tmpSUFFIX``);
``remove_stale_temporaries`` clears those at the next start, and every write clears the stale
ones of its own target. The file is flushed to disk (``fsync``) before the rename and the folder
after it, so a power cut leaves the old file or the new one, never an empty one.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from atlas.errors import OutputExistsError

STALE_AFTER_S = 3600  # a temporary file this old belongs to no running write
_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp(\.[^.]+)?$")


@contextmanager
def atomic_path(target: str | Path, *, force: bool = True) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target`` in one rename.

    On any error the temporary file is removed and ``target`` is left as it was. With
    ``force=False`` an existing ``target`` is an error before anything is written.
    """
    target = Path(target)
    if target.exists() and not force:
        raise OutputExistsError(f"{target} exists; use --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(target.parent.glob(f".{target.stem}.*.tmp{target.suffix}"))
    # keep the suffix: GDAL picks drivers and checks conformance by extension
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.tmp{target.suffix}")
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, target)
        fsync_folder(target.parent)
    except OSError as exc:
        if exc.errno is None or exc.filename not in (None, str(tmp), tmp):
            raise
        raise OSError(exc.errno, exc.strerror, str(target)) from None  # the user's name, not the temporary one
    finally:
        tmp.unlink(missing_ok=True)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename, a new or removed file) to disk."""
    _fsync(folder, os.O_RDONLY | os.O_DIRECTORY)


def _fsync(path: Path, flags: int = os.O_RDONLY) -> None:
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_stale_temporaries(*folders: Path) -> list[Path]:
    """Remove temporary files of interrupted writes (older than ``STALE_AFTER_S``) in ``folders``
    and their subfolders; returns what was removed."""
    found = [path for folder in folders if folder.is_dir() for path in folder.rglob(".*.tmp*")]
    return _remove_stale(found)


def _remove_stale(paths) -> list[Path]:
    removed = []
    cutoff = time.time() - STALE_AFTER_S
    for path in paths:
        try:
            if _TEMPORARY.match(path.name) and path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed
