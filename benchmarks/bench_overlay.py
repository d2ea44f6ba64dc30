"""Zonal statistics, measured fairly: the warm read floor, the atlas, ``exact_extract`` (its faster
strategy for each case) and ``rasterstats``, interleaved over ROUNDS, on generated float32
GeoTIFFs (tiled 512 x 512, deflate, smooth field plus noise; labelled synthetic) of several sizes
over two unit sets: Pekalongan's 312 villages and all 8,563 villages of Jawa Tengah.

Every measurement is a fresh process (``--child``) that imports and loads the units first and then
times only the operation: wall (perf_counter) and CPU (its own rusage, all its threads, and its
children's, should a method start processes). The parent samples the peak memory of the whole process tree
(``measure.PeakMemory``). Each raster is read once before the rounds (warm page cache).

The floor is the physical limit of the machine for the file: every block of band 1 read and
decompressed, by as many threads as there are cores (GDAL releases the GIL).

Settings: BENCH_SIZES (default 2500,5000,10000,20000; 40000 works too, about 6.4 GB of cells),
BENCH_ROUNDS (default 3), BENCH_UNITS (default pekalongan,jawa_tengah), BENCH_BASELINES (default
1; 0 times only the floor and the atlas, for the scale curve at sizes where the baselines take
minutes). Run with ``make bench``; rasters are generated once into .cache/bench/.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).parent))
from make_raster import write_benchmark_raster  # noqa: E402
from measure import PeakMemory, machine  # noqa: E402

SIZES = tuple(int(s) for s in os.environ.get("BENCH_SIZES", "2500,5000,10000,20000").split(","))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
UNIT_SETS = tuple(os.environ.get("BENCH_UNITS", "pekalongan,jawa_tengah").split(","))
BASELINES = os.environ.get("BENCH_BASELINES", "1") != "0"
MARGIN = 0.005
STATS = {"mean": "mean", "min": "min", "max": "max", "std": "stdev", "sum": "sum", "count": "count"}
RASTERSTATS_LIMIT = (312, 10_000)  # rasterstats only up to this many units and cells per side (slow)


def units_of(unit_set: str):
    from atlas.data import sources
    from atlas.data.boundaries import load_boundaries

    if unit_set == "pekalongan":
        return load_boundaries(["33.75", "33.26"]).desa
    codes = sorted({p.split("_kel_")[1].removesuffix(".sql") for p in sources.pinned_sums() if "_kel_" in p})
    return load_boundaries(codes).desa


def floor(raster: str, units) -> np.ndarray:
    """Read and decompress every block of band 1, one thread per core."""
    import rasterio

    with rasterio.open(raster) as src:
        windows = [window for _, window in src.block_windows(1)]

    def read(part: list) -> None:
        with rasterio.open(raster) as src:
            for window in part:
                src.read(1, window=window)

    cores = os.cpu_count() or 1
    with ThreadPoolExecutor(cores) as pool:
        list(pool.map(read, [windows[i::cores] for i in range(cores)]))
    return np.zeros(0)


def atlas(raster: str, units) -> np.ndarray:
    from atlas.analysis.overlay import zonal_statistics

    return zonal_statistics(units.geometry, raster)[list(STATS)].to_numpy()


def exact(strategy: str):
    def run(raster: str, units) -> np.ndarray:
        from exactextract import exact_extract

        frame = units.reset_index(drop=True)[["KDEPUM", "geometry"]]
        table = exact_extract(raster, frame, list(STATS.values()), output="pandas", strategy=strategy)
        return table[list(STATS.values())].to_numpy()

    return run


def rasterstats(raster: str, units) -> np.ndarray:
    from rasterstats import zonal_stats

    frame = units.reset_index(drop=True)
    found = zonal_stats(frame, raster, stats=["mean", "min", "max", "std", "sum", "count"])
    return np.array([row["mean"] if row["mean"] is not None else np.nan for row in found])


METHODS = {
    "floor": floor,
    "atlas": atlas,
    "exact_extract feature-sequential": exact("feature-sequential"),
    "exact_extract raster-sequential": exact("raster-sequential"),
    "rasterstats": rasterstats,
}


def child(method: str, raster: str, unit_set: str, result: str) -> None:
    """One timed operation in this fresh process; prints its wall and CPU as JSON."""
    units = units_of(unit_set)
    start_cpu = _cpu()
    start = time.perf_counter()
    values = METHODS[method](raster, units)
    wall, cpu = time.perf_counter() - start, _cpu() - start_cpu
    np.save(result, values)
    print(json.dumps({"wall": wall, "cpu": cpu}))


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measured(method: str, raster: Path, unit_set: str, result: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", method, str(raster), unit_set, str(result)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakMemory(psutil.Process(process.pid)) as memory:
        out, err = process.communicate()
    if process.returncode:
        raise RuntimeError(f"{method} failed: {err[-800:]}")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_mib": memory.peak / 2**20}


def raster_for(unit_set: str, size: int, units) -> Path:
    from atlas import config

    path = config.cache_dir() / "bench" / f"{unit_set}_{size}.tif"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        minx, miny, maxx, maxy = units.total_bounds
        write_benchmark_raster(path, (minx - MARGIN, miny - MARGIN, maxx + MARGIN, maxy + MARGIN), size=size)
    return path


def run_case(unit_set: str, size: int, units, folder: Path) -> None:
    raster = raster_for(unit_set, size, units)
    floor(str(raster), units)  # warm the page cache
    results = {name: folder / f"{name.replace(' ', '_')}.npy" for name in METHODS}
    methods = ["floor", "atlas"]
    if BASELINES:
        strategies = [m for m in METHODS if m.startswith("exact_extract")]
        warm = {name: measured(name, raster, unit_set, results[name]) for name in ("atlas", *strategies)}
        methods.append(min(strategies, key=lambda name: warm[name]["wall"]))
        if len(units) <= RASTERSTATS_LIMIT[0] and size <= RASTERSTATS_LIMIT[1]:
            methods.append("rasterstats")
    else:
        measured("atlas", raster, unit_set, results["atlas"])  # the same warm-up as with baselines
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in methods}
    for _ in range(ROUNDS):
        for name in methods:
            runs[name].append(measured(name, raster, unit_set, results[name]))
    size_mb = raster.stat().st_size / 1e6
    print(f"\n{unit_set}: {len(units)} units x {size:,}^2 float32 ({size_mb:,.0f} MB on disk), {ROUNDS} rounds")
    for name in methods:
        walls, cpus = [r["wall"] for r in runs[name]], [r["cpu"] for r in runs[name]]
        paired = [r["wall"] / f["wall"] for r, f in zip(runs[name], runs["floor"])]
        vs_atlas = [r["wall"] / a["wall"] for r, a in zip(runs[name], runs["atlas"])]
        print(
            f"  {name:34s} wall median {statistics.median(walls):7.2f} s (min {min(walls):6.2f})  "
            f"CPU {statistics.median(cpus):7.2f} s  peak {max(r['peak_mib'] for r in runs[name]):6.0f} MiB  "
            f"/floor {statistics.median(paired):5.2f}x  /atlas {statistics.median(vs_atlas):5.2f}x"
        )
    if BASELINES:
        compare(np.load(results["atlas"]), np.load(results[methods[2]]), units, raster)


def compare(ours: np.ndarray, theirs: np.ndarray, units, raster: Path) -> None:
    """The largest difference to exact_extract, and for the count both against shapely."""
    difference = np.nan_to_num(np.abs(ours - theirs) / np.maximum(1.0, np.abs(theirs)))
    unit, stat = np.unravel_index(np.argmax(difference), difference.shape)
    count = list(STATS).index("count")
    worst = int(np.argmax(difference[:, count]))
    reference = shapely_count(units.geometry.to_numpy()[worst], raster)
    print(
        f"  largest relative difference, atlas vs exact_extract: {difference[unit, stat]:.1e} ({list(STATS)[stat]}); "
        f"of the count {difference[worst, count]:.1e}, where shapely's exact cell areas differ from the atlas by "
        f"{abs(ours[worst, count] / reference - 1):.1e} and from exact_extract by "
        f"{abs(theirs[worst, count] / reference - 1):.1e}"
    )


def shapely_count(geometry, raster: Path) -> float:
    """Covered cells of one unit from shapely's intersection of it with every cell of its box (an
    independent double-precision reference; exact_extract keeps cell fractions in single precision)."""
    import rasterio
    import shapely

    with rasterio.open(raster) as src:
        transform = src.transform
    (c0, c1), (r1, r0) = (~transform) @ (np.array(geometry.bounds[::2]), np.array(geometry.bounds[1::2]))
    rows, cols = np.meshgrid(np.arange(int(r0) - 1, int(r1) + 2), np.arange(int(c0) - 1, int(c1) + 2), indexing="ij")
    cells = shapely.box(*(transform @ (cols, rows + 1)), *(transform @ (cols + 1, rows)))
    return float(shapely.area(shapely.intersection(geometry, cells)).sum() / abs(transform.a * transform.e))


def main() -> None:
    import tempfile

    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        for unit_set in UNIT_SETS:
            units = units_of(unit_set)
            for size in SIZES:
                run_case(unit_set, size, units, Path(folder))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:6])
    else:
        main()
