"""The OGC API - Features endpoint (``atlas serve-ogc``: pygeoapi over the atlas) against the
GeoJSON export of the same layer (``atlas export``), on Pekalongan's 312 desa and on the 8,563
villages of Jawa Tengah (the atlas's layers for all 35 kab/kota).

For each unit set a fresh server is started and warmed (its first request builds the layer), and
the export command is run once to warm the boundary cache. Then over ROUNDS interleaved rounds:
``items?limit=1000`` (one page; REQUESTS timed per round), every page of the layer one after
another (the whole layer through the API), and ``atlas export --format geojson`` as a fresh
process (wall, CPU of the process tree, peak memory). The server's CPU per request and its peak
memory (process tree) are read from /proc with psutil. Run: ``PYTHONPATH=. .venv/bin/python
benchmarks/bench_ogc.py`` (needs the ``bench`` extra: psutil).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from measure import PeakMemory, machine, run_measured, spread, tree_cpu_seconds  # noqa: E402

from atlas.data import sources  # noqa: E402
from tests.ogcserver import running_ogc_server  # noqa: E402

ROUNDS, REQUESTS, PAGE = 7, 5, 1000


def jawa_tengah() -> str:
    return ",".join(sorted({p.split("_kel_")[1].removesuffix(".sql") for p in sources.pinned_sums() if "_kel_" in p}))


def fetch(url: str) -> tuple[float, int]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        body = response.read()
    return time.perf_counter() - start, len(body)


def whole_layer(base: str, units: int) -> float:
    start = time.perf_counter()
    for offset in range(0, units, PAGE):
        fetch(f"{base}&offset={offset}")
    return time.perf_counter() - start


def main() -> None:
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        for name, region, units in (("Pekalongan", "all", 312), ("Jawa Tengah", jawa_tengah(), 8563)):
            export = [sys.executable, "-m", "atlas", "export", "--level", "desa", "--region", region]
            export += ["--format", "geojson", "--out", str(Path(folder) / "desa.geojson"), "--force"]
            run_measured(export)  # warm: the boundary cache of these kab/kota
            page_times, layer_times, exports = [], [], []
            log = Path(folder) / f"ogc-{units}.log"
            with running_ogc_server(log, region, ATLAS_DATASETS_DIR=str(Path(folder) / "datasets")) as base:
                server = next(p for p in psutil.Process().children() if "serve-ogc" in " ".join(p.cmdline()))
                items = f"{base}/collections/desa_terbaru/items?f=json&limit={PAGE}"
                with urllib.request.urlopen(items, timeout=600) as response:  # warm: the server builds the layer
                    matched = json.loads(response.read())["numberMatched"]
                if matched != units:
                    raise RuntimeError(f"the service holds {matched} desa, not {units}: wrong region")
                cpu_before = tree_cpu_seconds(server)
                with PeakMemory(server) as memory:
                    for _ in range(ROUNDS):
                        page_times += [fetch(items)[0] for _ in range(REQUESTS)]
                        layer_times.append(whole_layer(items, units))
                        exports.append(run_measured(export))
                cpu = tree_cpu_seconds(server) - cpu_before
            pages = -(-units // PAGE)
            print(f"\n{name}: {units:,} desa, {ROUNDS} interleaved rounds")
            print(f"  items?limit={PAGE} (one page): {spread(page_times, 's', 3)}")
            print(f"  the whole layer through the API ({pages} pages): {spread(layer_times, 's', 3)}")
            print(f"  atlas export --format geojson (fresh process): {spread([e['wall'] for e in exports], 's', 3)}")
            print(
                f"    export CPU median {statistics.median(e['cpu'] for e in exports):.2f} s, "
                f"peak {max(e['peak_mib'] for e in exports):.0f} MiB"
            )
            ratio = [e["wall"] / t for e, t in zip(exports, layer_times)]
            print(f"  export / whole layer through the API, paired per round: median {statistics.median(ratio):.2f} x")
            # the server's CPU over the timed requests (the exports run in processes of their own)
            requests = ROUNDS * (REQUESTS + pages)
            print(f"  server: {cpu / requests * 1000:.0f} ms CPU per request, peak {memory.peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
