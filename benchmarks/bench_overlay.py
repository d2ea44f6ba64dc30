"""Zonal statistics on a 10,000 x 10,000 float32 GeoTIFF (tiled, deflate, noisy; labelled
synthetic), side by side in one run: reading the raster once (the floor), the atlas's path,
a plain ``exact_extract`` call and ``rasterstats`` (baselines, installed by ``make bench``).

Two unit sets: Pekalongan's 312 villages, and all 8,561 villages of Jawa Tengah.
Run with ``make bench``; rasters are generated once into .cache/bench/.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import rasterio

from atlas import config
from atlas.analysis.overlay import zonal_statistics
from atlas.data import sources
from atlas.data.boundaries import load_boundaries

sys.path.insert(0, str(Path(__file__).parent))
from make_raster import write_benchmark_raster  # noqa: E402

STATS = {"mean": "mean", "min": "min", "max": "max", "std": "stdev", "sum": "sum", "count": "count"}
MARGIN = 0.005


def timed(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def bare_read(path: str) -> None:
    with rasterio.open(path) as src:
        for _, window in src.block_windows(1):
            src.read(1, window=window)


def raster_for(name: str, units) -> str:
    folder = config.cache_dir() / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}_10000.tif"
    if not path.exists():
        minx, miny, maxx, maxy = units.total_bounds
        write_benchmark_raster(path, (minx - MARGIN, miny - MARGIN, maxx + MARGIN, maxy + MARGIN))
    return str(path)


def run(name: str, units) -> None:
    from exactextract import exact_extract
    from rasterstats import zonal_stats

    raster = raster_for(name, units)
    frame = units.reset_index(drop=True)[["KDEPUM", "geometry"]]
    read_s, _ = timed(lambda: bare_read(raster))
    atlas_s, ours = timed(lambda: zonal_statistics(frame.geometry, raster))
    exact_s, theirs = timed(
        lambda: exact_extract(raster, frame, list(STATS.values()), include_cols=["KDEPUM"], output="pandas")
    )
    rstats_s, _ = timed(lambda: zonal_stats(frame, raster, stats=["mean", "min", "max", "std", "sum", "count"]))
    worst = max(
        np.nanmax(np.abs(ours[a].to_numpy() - theirs[b].to_numpy()) / np.maximum(1.0, np.abs(theirs[b].to_numpy())))
        for a, b in STATS.items()
    )
    print(
        f"\n{name}: {len(frame)} units, raster 10000 x 10000 float32 "
        f"({Path(raster).stat().st_size / 1e6:.0f} MB on disk)"
    )
    print(f"  read the raster once (floor):  {read_s:6.2f} s")
    print(f"  atlas (exact, 2 cores):        {atlas_s:6.2f} s   = {atlas_s / read_s:.2f} x the read")
    print(f"  exact_extract (plain call):    {exact_s:6.2f} s   atlas is {exact_s / atlas_s:.2f} x faster")
    print(f"  rasterstats (not exact):       {rstats_s:6.2f} s   atlas is {rstats_s / atlas_s:.2f} x faster")
    print(f"  largest relative difference atlas vs exact_extract: {worst:.1e}")


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    pekalongan = load_boundaries(["33.75", "33.26"]).desa
    run("pekalongan", pekalongan)
    codes = sorted({path.split("_kel_")[1].removesuffix(".sql") for path in sources.pinned_sums() if "_kel_" in path})
    run("jawa_tengah", load_boundaries(codes).desa)


if __name__ == "__main__":
    main()
