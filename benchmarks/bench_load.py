"""Many visitors at once: N = 1, 5, 20 concurrent sessions (Debian's Chromium, one context each,
localhost only) open the app, switch from the production to the labour map and run a raster
overlay of their own (a small synthetic GeoTIFF per session, so no session reuses another's
result). Records failures, first-map / view-switch / overlay p50 and p95, and the **servers'** CPU
seconds per session and peak memory (the server processes and their children, read from /proc by
psutil), so the servers' cost is told apart from the browsers'.

Set-ups (``BENCH_SETUPS``, default all): ``folder`` (one server on the embedded store, N from
``BENCH_SESSIONS``), ``pg1`` (N = 20 on one server over the PostgreSQL store) and ``pg2`` (N = 20
over two servers sharing one PostgreSQL store, sessions alternating between them); PostgreSQL is
a throwaway cluster started here (``tests/postgres.py``).

Run with ``make bench`` (or with ATLAS_DATA_MIRROR set and ``uv sync --extra bench``).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import numpy as np
import psutil
from playwright.async_api import async_playwright

from atlas.analysis.layers import build_layers
from atlas.data.store.postgres import migrate
from tests.browser.appserver import CHROMIUM, CHROMIUM_ARGS, running_app
from tests.conftest import write_geotiff

sys.path.insert(0, str(Path(__file__).parent))
from measure import PeakMemory, machine, tree_cpu_seconds  # noqa: E402

MAP_FRAME = "iframe[title='streamlit_folium.st_folium'] >> visible=true >> nth=-1"
SESSIONS = tuple(int(n) for n in os.environ.get("BENCH_SESSIONS", "1,5,20").split(","))
TIMEOUT_MS = int(os.environ.get("BENCH_TIMEOUT_S", "600")) * 1000
UNITS = 312
FAILURES = Path("artifacts") / "bench-load-failures"


def session_rasters(folder: Path, count: int) -> list[Path]:
    """One small synthetic GeoTIFF per session (0.002° cells over Pekalongan, distinct values)."""
    minx, miny, maxx, maxy = build_layers("all").desa.total_bounds
    rows, cols = int((maxy - miny + 0.02) / 0.002) + 1, int((maxx - minx + 0.02) / 0.002) + 1
    base = np.repeat(np.arange(rows, dtype="float32")[:, None], cols, axis=1)
    return [write_geotiff(folder / f"sesi_{n}.tif", base + n, (minx, miny, maxx, maxy)) for n in range(count)]


async def one_session(browser, url: str, raster: Path) -> dict[str, float]:
    """Seconds to the first map, to the labour map after a switch, and to an overlay's result;
    a failure names the step it happened in (and leaves a screenshot in ``FAILURES``)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)  # 20 browsers share the server's 2 cores
    page = await context.new_page()
    step = "first map"
    try:
        start = time.perf_counter()
        await page.goto(url)
        frame = page.frame_locator(MAP_FRAME)
        await frame.locator(".atlas-legend-title", has_text="Pelaku usaha").wait_for()
        await frame.locator("path.leaflet-interactive").nth(UNITS - 1).wait_for()
        first_map = time.perf_counter() - start
        step, start = "view switch", time.perf_counter()
        await page.get_by_test_id("stSidebar").get_by_text("Tenaga kerja", exact=True).click()
        await frame.locator(".atlas-legend-title", has_text="Pekerja").wait_for()
        await frame.locator("path.leaflet-interactive").nth(UNITS - 1).wait_for()
        switch = time.perf_counter() - start
        step = "environment page"
        await page.get_by_test_id("stSidebar").get_by_text("Lingkungan", exact=True).click()
        await page.locator("input[type='file']").first.wait_for(state="attached")
        step, start = "overlay", time.perf_counter()
        await page.locator("input[type='file']").first.set_input_files(str(raster))
        await page.get_by_text(f"Raster menutup {UNITS} wilayah penuh").wait_for()
        return {"first map": first_map, "view switch": switch, "overlay": time.perf_counter() - start}
    except Exception as exc:
        FAILURES.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(FAILURES / f"{raster.stem}-{step.replace(' ', '-')}.png"), full_page=True)
        raise RuntimeError(f"{step}: {str(exc).splitlines()[0]}") from exc
    finally:
        await context.close()


async def round_of(urls: list[str], rasters: list[Path]) -> tuple[list[dict[str, float]], list[str]]:
    """Every session at once, the n-th on server n modulo the servers; returns the timings of
    those that succeeded and the failures."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        sessions = (one_session(browser, urls[n % len(urls)], r) for n, r in enumerate(rasters))
        outcomes = await asyncio.gather(*sessions, return_exceptions=True)
        await browser.close()
    timings = [o for o in outcomes if isinstance(o, dict)]
    failures = [f"{type(o).__name__}: {str(o).splitlines()[0]}" for o in outcomes if isinstance(o, BaseException)]
    return timings, failures


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


@contextmanager
def app_servers(count: int, folder: Path, database_url: str | None) -> Iterator[list[str]]:
    """``count`` fresh app servers, on the embedded store in ``folder`` or on ``database_url``."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = {"ATLAS_DATASETS_DIR": str(folder / "datasets")}
    if database_url:
        settings["ATLAS_DATABASE_URL"] = database_url
    with ExitStack() as servers:
        yield [servers.enter_context(running_app(folder / f"app_{n}.log", **settings)) for n in range(count)]


def measured_round(urls: list[str], rasters: list[Path], label: str) -> None:
    """One round of ``len(rasters)`` sessions spread over ``urls``, after one warm-up visitor per server."""
    servers = [p for p in psutil.Process().children() if "atlas.web.server" in " ".join(p.cmdline())]
    for url in urls:
        asyncio.run(round_of([url], rasters[-1:]))  # warm-up visitor: the server's start-up work
    sessions = len(rasters) - 1
    cpu_before = sum(tree_cpu_seconds(s) for s in servers)
    with PeakMemory(*servers) as memory:
        started = time.perf_counter()
        timings, failures = asyncio.run(round_of(urls, rasters[:sessions]))
        wall = time.perf_counter() - started
    cpu = sum(tree_cpu_seconds(s) for s in servers) - cpu_before
    report(label, sessions, timings, failures, wall, cpu, memory.peak)


def main() -> None:
    from tests.postgres import Cluster

    print(f"machine: {machine()}, Debian chromium headless (browsers and servers on the same machine)")
    setups = os.environ.get("BENCH_SETUPS", "folder,pg1,pg2").split(",")
    with tempfile.TemporaryDirectory() as folder:
        rasters = session_rasters(Path(folder), max(SESSIONS) + 1)  # the last one warms up
        if "folder" in setups:
            for sessions in SESSIONS:  # a fresh server per N: nothing cached from an earlier round
                with app_servers(1, Path(folder) / f"folder_{sessions}", None) as urls:
                    measured_round(urls, [*rasters[:sessions], rasters[-1]], "1 server, embedded store")
        for setup, count in (("pg1", 1), ("pg2", 2)):
            if setup not in setups:
                continue
            cluster = Cluster()
            try:
                url = cluster.database()
                migrate(url, create=True)
                with app_servers(count, Path(folder) / setup, url) as urls:
                    measured_round(urls, [*rasters[:20], rasters[-1]], f"{count} server(s), one PostgreSQL store")
            finally:
                cluster.stop()


def report(label: str, sessions: int, timings, failures, wall: float, cpu: float, peak: int) -> None:
    """Print one round's figures."""
    print(f"\n{label}, N = {sessions}: {len(failures)} failures, round {wall:.1f} s wall")
    for failure in failures:
        print(f"  failure: {failure}")
    for measure in ("first map", "view switch", "overlay"):
        values = [t[measure] for t in timings]
        print(
            f"  {measure}: p50 {statistics.median(values):.2f} s, p95 {percentile(values, 95):.2f} s, "
            f"min {min(values):.2f} s"
        )
    print(f"  server CPU: {cpu:.2f} s in all, {cpu / sessions:.2f} s per session")
    print(f"  server peak memory (process trees together): {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
