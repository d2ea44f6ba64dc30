"""Servers the tests and benchmarks start on this machine: a free localhost port, and a command
run until a URL of it answers (stopped afterwards)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import REPO_ROOT


class ServerStartError(RuntimeError):
    """A server did not start; the message holds the end of its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(
    name: str, command: list[str], port: int, ready: str, log: Path, timeout_s: float, **env: str
) -> Iterator[str]:
    """Run ``command`` (output to ``log``, ``env`` added) and yield ``http://127.0.0.1:PORT`` once
    its path ``ready`` answers 200; terminate it afterwards."""
    with open(log, "w") as out:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **env}
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise ServerStartError(f"{name} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}{ready}", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise ServerStartError(
                        f"{name} did not answer within {timeout_s} s:\n{log.read_text()[-3000:]}"
                    ) from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
