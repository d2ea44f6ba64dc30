"""Cold build (parse the pinned files and write the cache) vs warm load (read the cache).

Prints the median of several runs for Kota + Kabupaten Pekalongan, each cold run in a fresh
cache folder. Run with ``make bench`` (ATLAS_DATA_MIRROR set) or ``python benchmarks/bench_boundaries.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from atlas.analysis.layers import build_layers
from atlas.data import boundaries

sys.path.insert(0, str(Path(__file__).parent))
from measure import machine  # noqa: E402

CODES = ("33.75", "33.26")
RUNS = 5


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    cold, warm, layers = [], [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as cache:
            os.environ["ATLAS_CACHE_DIR"] = cache
            cold.append(timed(lambda: boundaries.load_boundaries(CODES)))
            warm.append(timed(lambda: boundaries.load_boundaries(CODES)))
            layers.append(timed(lambda: build_layers("all")))
    print(f"machine: {machine()}")
    print(f"runs: {RUNS}, units: 312 desa/kelurahan, 23 kecamatan, 2 kab/kota")
    print(f"cold build (parse + validate + write cache): median {statistics.median(cold) * 1000:.0f} ms")
    print(f"warm load (read cache):                      median {statistics.median(warm) * 1000:.0f} ms")
    print(f"layers from warm cache (join + aggregate):   median {statistics.median(layers) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
