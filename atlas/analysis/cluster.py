"""Dask for the raster overlay beyond one machine: a local cluster sized to the machine
(``local``), or an existing cluster by its scheduler address (``tcp://host:8786``).

The workers read the raster themselves, so it must sit at a path every worker can reach (a
shared folder); the band tasks and the exact merge of their results are the same as in-process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from atlas.errors import OptionError

LOCAL = "local"
CONNECT_TIMEOUT_S = 10


@contextmanager
def dask_client(scheduler: str) -> Iterator:
    """A ``dask.distributed.Client`` for ``scheduler`` ('local' or an address), closed afterwards."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise OptionError(
            "running on Dask needs dask.distributed: install the atlas with its 'cluster' extra "
            "(uv sync --extra cluster, or pip install 'batik-atlas[cluster]')"
        ) from None
    if scheduler == LOCAL:
        workers = os.cpu_count() or 1
        with (
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        with ThreadPoolExecutor(1) as probe:  # a thread of its own: the caller may run an event loop
            probe.submit(lambda: asyncio.run(_answers(Client, scheduler))).result()
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc) or f"no Dask answer within {CONNECT_TIMEOUT_S} s"
        raise OptionError(f"cannot reach the Dask scheduler {scheduler!r} ({reason}); check the address") from None
    with client:
        yield client


async def _answers(client_class, scheduler: str) -> None:
    """Connect and close again, giving up after ``CONNECT_TIMEOUT_S``: a server that accepts the
    connection but is not a Dask scheduler never finishes the handshake, and the client would wait
    for it forever. The client is closed in any case (left to the garbage collector, its closing
    would run at any later moment, in any thread)."""
    client = client_class(scheduler, asynchronous=True, timeout=CONNECT_TIMEOUT_S)
    try:
        await asyncio.wait_for(client, CONNECT_TIMEOUT_S)
    finally:
        with contextlib.suppress(Exception):
            await client.close()
