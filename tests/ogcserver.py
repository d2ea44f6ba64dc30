"""Start ``atlas serve-ogc`` on a free localhost port for the tests and the benchmark."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers import free_port, running_server

STARTUP_TIMEOUT_S = 120


@contextmanager
def running_ogc_server(log: Path, region: str = "all", **env: str) -> Iterator[str]:
    """Yield the service's URL (the layers of ``region``) once its landing page answers; stop it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "atlas", "serve-ogc", "--port", str(port), "--region", region]
    with running_server("atlas serve-ogc", command, port, "/?f=json", log, STARTUP_TIMEOUT_S, **env) as url:
        yield url
