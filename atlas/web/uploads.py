"""An uploaded file as a path for the readers that take one: written into a private temporary
folder under its own base name, removed when done."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def upload_path(data: bytes, name: str) -> Iterator[Path]:
    """A temporary file holding ``data``, named like the upload (never a path from the browser)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        yield path
