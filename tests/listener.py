"""A local TCP listener that records every connection: a test that hands a hostile file to the
atlas fails if anything in it made a request (``listener`` fixture)."""

from __future__ import annotations

import socket
import threading

import pytest


class Listener:
    """Accepts on a free localhost port and counts connections (bounded, localhost only)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener():
    """A listener; the test fails if anything connected to it."""
    server = Listener()
    yield server
    server.close()
    assert server.connections == 0, f"{server.connections} request(s) reached {server.url}"
