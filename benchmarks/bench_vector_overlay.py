"""Vector overlay at province scale: 10,000 synthetic flood polygons (overlapping discs, written
here) x the 8,563 cleaned villages of Jawa Tengah; the flooded area and share of every village.

The atlas (``read_vector`` + ``vector_statistics``) against a geopandas baseline that computes
the same numbers (``dissolve`` + ``overlay``). Each run is a fresh process, so its wall and CPU
time and its peak memory (``ru_maxrss``) are its own; the file and the village cache are warmed
first and the two are interleaved over ROUNDS. The results are compared (max difference).

Run with ``make bench`` (or with ATLAS_DATA_MIRROR set).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np

ROUNDS = 5
POLYGONS = 10_000


def flood_file(folder: Path) -> Path:
    """Synthetic discs (radius 100 m to 3 km, many overlapping) over Jawa Tengah, in EPSG:4326."""
    from atlas.analysis.vectors import METRIC_CRS
    from atlas.data.boundaries import clean_villages

    minx, miny, maxx, maxy = clean_villages("33").to_crs(METRIC_CRS).total_bounds
    rng = np.random.default_rng(2026)
    centres = gpd.points_from_xy(rng.uniform(minx, maxx, POLYGONS), rng.uniform(miny, maxy, POLYGONS))
    discs = gpd.GeoSeries(centres, crs=METRIC_CRS).buffer(rng.uniform(100, 3000, POLYGONS), quad_segs=8)
    path = folder / "banjir_sintetis.gpkg"
    gpd.GeoDataFrame({"id": range(POLYGONS)}, geometry=discs).to_crs("EPSG:4326").to_file(path)
    return path


def run_atlas(path: str) -> np.ndarray:
    from atlas.analysis.vector_overlay import vector_statistics
    from atlas.analysis.vectors import read_vector
    from atlas.data.boundaries import clean_villages

    villages = clean_villages("33")
    return vector_statistics(villages.geometry, read_vector(path))["v_persen_luas"].to_numpy()


def run_geopandas(path: str) -> np.ndarray:
    from atlas.analysis.vectors import METRIC_CRS
    from atlas.data.boundaries import clean_villages

    villages = clean_villages("33").to_crs(METRIC_CRS).reset_index(drop=True)
    villages["unit"] = villages.index
    flood = gpd.read_file(path).to_crs(METRIC_CRS).dissolve()[["geometry"]]
    pieces = gpd.overlay(villages[["unit", "geometry"]], flood, how="intersection")
    covered = pieces.area.groupby(pieces["unit"]).sum().reindex(villages["unit"]).fillna(0)
    return 100 * covered.to_numpy() / villages.area.to_numpy()


def child(which: str, path: str, result: str) -> None:
    """One timed run in this process; prints wall, CPU and peak memory as JSON."""
    start, cpu = time.perf_counter(), time.process_time()
    shares = {"atlas": run_atlas, "geopandas": run_geopandas}[which](path)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    np.save(result, shares)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"wall": wall, "cpu": cpu, "peak_mib": peak_kib / 1024}))


def timed(which: str, path: Path, result: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", which, str(path), str(result)]
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as folder:
        path = flood_file(Path(folder))
        results = {name: Path(folder) / f"{name}.npy" for name in ("atlas", "geopandas")}
        for name in results:  # warm the file, the village cache and the imports
            timed(name, path, results[name])
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in results}
        for _ in range(ROUNDS):
            for name in results:
                runs[name].append(timed(name, path, results[name]))
        difference = np.nanmax(np.abs(np.load(results["atlas"]) - np.load(results["geopandas"])))
    print(f"{POLYGONS:,} flood polygons x 8,563 villages, {ROUNDS} interleaved rounds (fresh process each)")
    for name, measured in runs.items():
        walls, cpus = [m["wall"] for m in measured], [m["cpu"] for m in measured]
        peak = max(m["peak_mib"] for m in measured)
        print(
            f"  {name}: wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}), "
            f"CPU median {statistics.median(cpus):.2f} s, peak memory {peak:.0f} MiB"
        )
    ratios = [g["wall"] / a["wall"] for a, g in zip(runs["atlas"], runs["geopandas"])]
    print(f"  geopandas / atlas, paired: median {statistics.median(ratios):.1f}x (min {min(ratios):.1f}x)")
    print(f"  max difference of the flooded share: {difference:.2e} percentage points")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
    else:
        main()
