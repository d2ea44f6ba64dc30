"""Uploaded files on the server's disk, never kept longer than the session that sent them.

Every upload lives under ``cache/uploads/`` in a folder whose name starts with the server's
process id: a session's own folder (a raster the overlay reads again on every rerun), removed when
the session ends, or a temporary folder around one read, removed when the read is done. At start
the server removes every folder there that no running process holds, whatever its age.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from atlas import config

SESSION_KEY = "_upload_folder"


def uploads_root() -> Path:
    return config.cache_dir() / "uploads"


class SessionFolder:
    """The private upload folder of one session, removed with the session's state (or ``close``)."""

    def __init__(self, root: Path):
        root.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-session-", dir=root))
        self._remove = weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)

    def close(self) -> None:
        self._remove()


def session_folder() -> Path:
    """This app session's upload folder (made on first use)."""
    import streamlit as st  # here, not at the top: the server imports this module before Streamlit starts

    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = SessionFolder(uploads_root())
    return st.session_state[SESSION_KEY].path


@contextmanager
def upload_path(data: bytes, name: str) -> Iterator[Path]:
    """A temporary file holding ``data``, named like the upload (never a path from the browser),
    removed with its folder when done."""
    root = uploads_root()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"{os.getpid()}-read-", dir=root) as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        yield path


def remove_orphaned_uploads(root: Path | None = None) -> list[Path]:
    """Remove what under ``root`` (default: the uploads folder) no running process holds: folders
    of processes that ended, and anything not named after a process. Returns what was removed."""
    root = root or uploads_root()
    removed = []
    for entry in root.iterdir() if root.is_dir() else ():
        owner = entry.name.split("-", 1)[0]
        if owner.isdigit() and _is_running(int(owner)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
