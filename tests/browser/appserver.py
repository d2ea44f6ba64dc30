"""Start the Streamlit app on a free localhost port, and Debian's Chromium for Playwright.

Shared by the browser tests and the app benchmark.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers import ServerStartError, free_port, running_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STARTUP_TIMEOUT_S = 90


#: the app did not start (the message holds the end of its log)
AppStartError = ServerStartError


@contextmanager
def running_app(log: Path, **env: str) -> Iterator[str]:
    """Yield the URL of the app once its health check answers; stop it afterwards.

    ``env`` adds environment variables for the app process (e.g. its own datasets folder).
    """
    port = free_port()
    command = [sys.executable, "-m", "atlas.web.server", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    with running_server("the app", command, port, "/_stcore/health", log, STARTUP_TIMEOUT_S, **env) as url:
        yield url


def launch_chromium(playwright):
    """Debian's Chromium, headless (never a browser downloaded by Playwright)."""
    if not Path(CHROMIUM).exists():
        raise AppStartError(f"{CHROMIUM} is missing: make test installs Debian's chromium package")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
