"""Untrusted files are parsed in a bounded place.

Every read of a file a user supplied (a counts spreadsheet, a business directory, a vector
layer) runs in a child process of its own that

- may use at most ``Bounds.memory_bytes`` more memory than it started with (``RLIMIT_AS``),
- is stopped after ``Bounds.seconds`` (wall clock; CPU time is limited as a backstop),
- has no network at all: it is moved into a network namespace of its own, with no interface
  up, before it opens the file, so that no driver can fetch a URL named inside the file; where
  the kernel does not allow that, GDAL's and PROJ's network access is switched off instead,
- is stopped as soon as ``cancelled()`` says so (the app's session that asked for it ended).

The children are forked from a clean single-threaded server process (multiprocessing's
"forkserver") that has the readers imported already, so a read costs a fork, not an import.
Exceeding a bound is a ``ParseLimitError`` whose message says which, in English and Indonesian.
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import resource
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from atlas.errors import AtlasError, ParseLimitError

LOG = logging.getLogger(__name__)
T = TypeVar("T")
POLL_S = 0.05
#: the readers the child processes need, imported once by the fork server
PRELOADED = ["atlas.intake.spreadsheet", "atlas.analysis.vectors"]
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
#: GDAL and PROJ told not to use the network (the fallback when no namespace can be made)
NO_NETWORK_GDAL = {
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".none-allowed",
    "GDAL_HTTP_PROXY": "127.0.0.1:9",  # the discard port: nothing listens, nothing leaves
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
}


@dataclass(frozen=True)
class Bounds:
    """How much one read may take."""

    memory_bytes: int = 2 * 2**30
    seconds: float = 120.0


#: what the caller's context says about cancelling (the app sets it per session; see ``cancel_when``)
_CANCELLED: contextvars.ContextVar[Callable[[], bool] | None] = contextvars.ContextVar("cancelled", default=None)


@contextlib.contextmanager
def cancel_when(cancelled: Callable[[], bool]) -> Iterator[None]:
    """Bounded reads started inside this block stop as soon as ``cancelled()`` is true."""
    token = _CANCELLED.set(cancelled)
    try:
        yield
    finally:
        _CANCELLED.reset(token)


def bounded(function: Callable[..., T], *args: Any, name: str, bounds: Bounds | None = None) -> T:
    """``function(*args)`` run in a bounded child process (see the module text); its result, or
    the ``AtlasError`` it raised. ``name`` is the file as the user knows it, for messages."""
    bounds = bounds or Bounds()
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(sender, function, args, bounds, name), daemon=True)
    with _main_module_hidden():
        child.start()
    sender.close()
    try:
        outcome = _wait(child, receiver, bounds, name)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    status, value = outcome
    if status == "error":
        raise value
    return value


#: held while a child starts with ``__main__`` hidden (see ``_main_module_hidden``)
_STARTING = threading.Lock()


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """multiprocessing runs the parent's ``__main__`` again in each child; under Streamlit that is
    the app script. An empty ``__main__`` stands in while a child is started."""
    with _STARTING:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def warm_up() -> None:
    """Start the fork server now: its imports then run beside the caller's own work, and the first
    bounded read does not wait for them (the command line before a read, the app at start)."""
    _context()
    multiprocessing.forkserver.ensure_running()


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADED)
    return context


def _wait(child, receiver, bounds: Bounds, name: str) -> tuple[str, Any]:
    cancelled = _CANCELLED.get()
    deadline = time.monotonic() + bounds.seconds
    while not receiver.poll(POLL_S):
        if cancelled is not None and cancelled():
            raise ParseLimitError(f"{name}: reading it was stopped: the session that asked for it ended")
        if time.monotonic() > deadline:
            raise _too_long(bounds, name)
        if not child.is_alive() and not receiver.poll(POLL_S):
            return "error", _ended(child.exitcode, bounds, name)
    try:
        return receiver.recv()
    except EOFError:
        child.join()
        return "error", _ended(child.exitcode, bounds, name)


def _ended(exit_code: int | None, bounds: Bounds, name: str) -> ParseLimitError:
    """What a child that ended without an answer ran into."""
    if exit_code == -signal.SIGXCPU:
        return _too_long(bounds, name)
    LOG.warning("the reader of %s ended with exit code %s", name, exit_code)
    return ParseLimitError(f"{name}: reading it failed (the reader stopped with code {exit_code}); refused")


def _too_long(bounds: Bounds, name: str) -> ParseLimitError:
    return ParseLimitError(
        f"{name}: reading it took longer than {bounds.seconds:.0f} s; refused "
        f"(membacanya lebih dari {bounds.seconds:.0f} detik; ditolak)"
    )


def _too_large(bounds: Bounds, name: str) -> ParseLimitError:
    megabytes = bounds.memory_bytes // 2**20
    return ParseLimitError(
        f"{name}: reading it needs more than {megabytes:,} MB of memory; refused "
        f"(membacanya butuh lebih dari {megabytes:,} MB memori; ditolak)"
    )


def _run(sender, function: Callable, args: tuple, bounds: Bounds, name: str) -> None:
    """The child: bounds set, network gone, then the read; its answer sent back."""
    _limit(bounds)
    _without_network()
    try:
        outcome: tuple[str, Any] = ("ok", function(*args))
    except MemoryError:
        outcome = ("error", _too_large(bounds, name))
    except AtlasError as exc:
        outcome = ("error", _sendable(exc))
    except Exception as exc:  # a reader's own fault: one line for the user, the traceback in the log
        LOG.info("reading %s failed", name, exc_info=True)
        reason = (str(exc).splitlines() or [""])[0][:200]
        outcome = ("error", ParseLimitError(f"{name}: reading it failed ({type(exc).__name__}: {reason}); refused"))
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("error", _too_large(bounds, name)))
    finally:
        sender.close()


def _sendable(exc: AtlasError) -> AtlasError:
    """``exc`` if it survives pickling, else the same message as a plain ``AtlasError``."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return ParseLimitError(str(exc))


def _limit(bounds: Bounds) -> None:
    with open("/proc/self/status") as status:
        used = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (used + bounds.memory_bytes, resource.RLIM_INFINITY))
    seconds = int(bounds.seconds) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))


def _without_network() -> None:
    """Move this process into a network namespace of its own (no interface up); GDAL and PROJ
    told to stay offline in any case."""
    libc = ctypes.CDLL(None, use_errno=True)
    flags = CLONE_NEWNET if os.geteuid() == 0 else CLONE_NEWUSER | CLONE_NEWNET
    if libc.unshare(flags) != 0:
        LOG.warning("no network namespace for the reader (errno %s); GDAL's network options only", ctypes.get_errno())
    import pyogrio
    import pyproj

    pyogrio.set_gdal_config_options(NO_NETWORK_GDAL)
    pyproj.network.set_network_enabled(False)
