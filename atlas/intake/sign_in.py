"""Repeated failed sign-ins slowed down, without locking the real editor out.

Failures are counted per client (its address) and per editor name. After a few free attempts
each further failure doubles the wait: up to 15 minutes for the client that keeps failing, but
only a few seconds for the name, so that guesses from elsewhere never keep the real editor (on
another client) out. The table is shared by every session of one server, thread-safe, and
bounded: the entries seen least recently are dropped first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

FREE_FAILURES = 3  # failures before any wait
FIRST_WAIT_S = 2.0  # the wait after the first failure beyond them; each further one doubles it
CLIENT_MAX_WAIT_S = 15 * 60
NAME_MAX_WAIT_S = 5.0
FORGET_AFTER_S = 60 * 60  # a key with no failure for this long starts again from zero
MAX_ENTRIES = 10_000
MAX_KEY_CHARS = 64  # a name typed into the form is cut to this in the table


@dataclass
class SignInLimiter:
    """Failures by ``("client", address)`` and ``("name", name)``: (count, time of the last)."""

    entries: OrderedDict[tuple[str, str], tuple[int, float]] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, client: str, name: str, now: float | None = None) -> float:
        """Seconds before ``client`` may try ``name`` again (0 when it may now)."""
        now = time.time() if now is None else now
        with self.lock:
            return max(self._wait(key, cap, now) for key, cap in _keys(client, name))

    def failed(self, client: str, name: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self.lock:
            for key, _ in _keys(client, name):
                count, last = self.entries.pop(key, (0, now))
                self.entries[key] = (1 if now - last > FORGET_AFTER_S else count + 1, now)
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)

    def succeeded(self, client: str, name: str) -> None:
        with self.lock:
            for key, _ in _keys(client, name):
                self.entries.pop(key, None)

    def _wait(self, key: tuple[str, str], cap: float, now: float) -> float:
        count, last = self.entries.get(key, (0, now))
        if count <= FREE_FAILURES or now - last > FORGET_AFTER_S:
            return 0.0
        wait = min(FIRST_WAIT_S * 2 ** min(count - FREE_FAILURES - 1, 30), cap)
        return max(last + wait - now, 0.0)


def _keys(client: str, name: str) -> tuple[tuple[tuple[str, str], float], ...]:
    return (("client", client[:MAX_KEY_CHARS]), CLIENT_MAX_WAIT_S), (("name", name[:MAX_KEY_CHARS]), NAME_MAX_WAIT_S)
