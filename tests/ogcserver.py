"""Start ``atlas serve-ogc`` on a free localhost port for the tests and the benchmark."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.postgres import free_port

STARTUP_TIMEOUT_S = 120


@contextmanager
def running_ogc_server(log: Path, region: str = "all", **env: str) -> Iterator[str]:
    """Yield the service's URL (the layers of ``region``) once its landing page answers; stop it afterwards."""
    port = free_port()
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "atlas", "serve-ogc", "--port", str(port), "--region", region],
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"atlas serve-ogc exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/?f=json", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"atlas serve-ogc did not answer:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
