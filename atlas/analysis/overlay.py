"""Exact, coverage-weighted raster statistics per unit (zonal statistics), for any band.

The raster is read once, in strips of rows (bounded memory, any raster size); each cell's weight is
the exact fraction of it that a unit covers (``coverage``), so border cells count in part. Work is
shared between the machine's cores (threads), or sent to a Dask cluster. Polygons are reprojected
to the raster's CRS; the raster is never resampled. Nodata and masked cells are left out and
reported through ``coverage``.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio.windows import Window

from atlas.analysis.cluster import dask_client
from atlas.analysis.coverage import Rings, grid_rings, window_totals
from atlas.analysis.rasters import open_raster, read_window
from atlas.atomic import atomic_path
from atlas.errors import OptionError, RasterError

STATISTICS = ("mean", "min", "max", "std", "sum", "count", "coverage")
STRIP_BYTES = 32 * 1024 * 1024  # raster data read at a time (at least one block of rows)
HELD_BYTES = 128 * 1024 * 1024  # raster data held at a time, read ahead of the threads weighing it
TASKS_PER_CORE = 2  # at least this many tasks per core, so none idles on a raster of few bands
#: The work of one unit beyond its cells (cutting its edges), in cells, for sharing out a strip.
UNIT_COST_CELLS = 2_000
MAX_WINDOW_CELLS = 4_000_000_000  # cells under the units (the window around them); 16 GB of float32
COMPLETE = 0.999  # a unit at least this much covered by valid cells counts as fully covered


@dataclass(frozen=True)
class RasterInfo:
    """What the overlay needs to know about a raster."""

    path: str
    crs: str
    width: int
    height: int
    bands: int
    dtype: str
    nodata: float | None


@dataclass
class _Job:
    """What every task needs to know: the raster, its band, and where on its grid each unit lies."""

    path: str
    name: str  # the raster's name as the user knows it, for messages
    band: int
    row_span: np.ndarray  # first and last+1 pixel row of each geometry (n x 2)
    col_span: np.ndarray  # first and last+1 pixel column of each geometry (n x 2)
    categorical: bool


def raster_info(path: str | Path, band: int = 1, name: str | None = None) -> RasterInfo:
    """Open ``path`` and check it can be overlaid: a raster, with a CRS, a north-up grid, ``band``.
    Messages call the file ``name`` (default: its file name)."""
    with open_raster(path, name) as src:
        if not 1 <= band <= src.count:
            raise RasterError(f"{name or Path(path).name} has {src.count} band(s); band {band} does not exist")
        return RasterInfo(
            str(path), src.crs.to_string(), src.width, src.height, src.count, src.dtypes[band - 1], src.nodata
        )


def zonal_statistics(
    geometries: gpd.GeoSeries,
    raster: str | Path,
    band: int = 1,
    *,
    categorical: bool = False,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    name: str | None = None,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Per geometry: mean, min, max, std, sum, count (covered valid cells) and coverage (the
    fraction of the geometry's area covered by valid cells); for ``categorical`` rasters also
    ``frac_<class>``, the share of each class. Rows follow ``geometries``' index. Messages call
    the raster ``name`` (default: its file name). With ``scheduler`` ('local' or a Dask
    scheduler address) the bands run on Dask (``atlas.analysis.cluster``)."""
    name = name or Path(raster).name
    info = raster_info(raster, band, name)
    if geometries.crs is None:
        raise RasterError("the units have no CRS")
    with open_raster(raster, name) as src:
        transform, bounds = src.transform, src.bounds
        block_rows = src.block_shapes[band - 1][0]
        itemsize = np.dtype(info.dtype).itemsize
    projected = geometries.to_crs(info.crs)
    extent = shapely.box(*bounds)
    if not projected.intersects(extent).any():
        raise RasterError(
            f"{name} does not overlap the units (raster bounds {tuple(round(b, 4) for b in bounds)} in {info.crs})"
        )
    geoms = np.asarray(projected.values)
    row_span = _row_span(geoms, transform)
    _check_window(np.clip(row_span, 0, info.height), np.clip(_col_span(geoms, transform), 0, info.width), name)
    workers = workers or os.cpu_count() or 1
    # strips of whole blocks of rows, at most STRIP_BYTES, and enough of them to keep every core busy
    rows = min(STRIP_BYTES // max(info.width * itemsize, 1), -(-info.height // (TASKS_PER_CORE * workers)))
    rows = max(block_rows, rows // block_rows * block_rows)
    strips = [(start, min(start + rows, info.height)) for start in range(0, info.height, rows)]
    strips = [(s0, s1) for s0, s1 in strips if ((row_span[:, 0] < s1) & (row_span[:, 1] > s0)).any()]
    job = _Job(str(raster), name, band, row_span, _col_span(geoms, transform), categorical)
    if scheduler:
        totals = _run_on_dask(job, grid_rings(geoms, transform), strips, scheduler, progress)
    else:
        # strips held at a time: one more than the threads weighing them, more while they are small
        held = max(workers + 1, HELD_BYTES // (rows * info.width * itemsize))
        totals = _run(job, lambda: grid_rings(geoms, transform), strips, workers, held, progress)
    table = _table(totals, projected, transform, categorical, geometries.index, name)
    measured = table.loc[table["count"] > 0, ["mean", "min", "max", "std", "sum"]].to_numpy()
    if not np.isfinite(measured).all():
        raise RasterError(f"{name} holds values beyond the range of floating-point numbers (e.g. 1.7e308)")
    return table


def _check_window(row_span: np.ndarray, col_span: np.ndarray, name: str) -> None:
    """Refuse a grid so fine that the cells under the units could not be read in reasonable
    time and memory (their bounding window within the raster, in cells)."""
    present = row_span[:, 1] > row_span[:, 0]
    if not present.any():
        return
    rows = int(row_span[present, 1].max() - row_span[present, 0].min())
    columns = int(col_span[present, 1].max() - col_span[present, 0].min())
    if rows * columns > MAX_WINDOW_CELLS:
        raise RasterError(
            f"{name} has {rows * columns:,.0f} cells under the units; the overlay reads at most "
            f"{MAX_WINDOW_CELLS:,}: resample it to coarser pixels (e.g. gdalwarp -tr 10 10) and try again"
        )


def _empty_totals(n: int) -> dict:
    return {
        "count": np.zeros(n),
        "mean": np.zeros(n),
        "m2": np.zeros(n),
        "min": np.full(n, np.inf),
        "max": np.full(n, -np.inf),
        "classes": defaultdict(dict),  # unit -> class value -> covered cells, for the units that have any
    }


def _run(job: _Job, rings_of: Callable[[], Rings], strips, workers: int, held: int, progress) -> dict:
    """The strips in threads of this process: the first ``held`` strips are read while the units'
    rings are drawn on the grid (``rings_of``). Each strip is read once, then its units shared out
    into tasks of about equal work, the strips with most work first; ``held`` strips are held at a
    time and the next is read as soon as one is done, so reading and weighing overlap. Reading
    (GDAL) and the kernel release the GIL: the threads keep the cores busy with no copy of the job,
    and the app's threaded server runs the same path."""
    totals = _empty_totals(len(job.row_span))
    meeting, works = _strip_units(job, strips)
    task_work = works.sum() / (TASKS_PER_CORE * workers)
    to_read = list(np.argsort(works, kind="stable"))  # strip numbers, the most work last (popped first)
    reading: dict[Future, tuple[int, int]] = {}  # future -> rows of its strip
    weighing: dict[Future, int] = {}  # future -> first row of its strip
    shares_left: dict[int, int] = {}  # first row of a strip -> its shares still being weighed
    finished = 0
    with ThreadPoolExecutor(workers) as pool:

        def read_next() -> None:
            if to_read:
                k = to_read.pop()
                row_start, row_stop = strips[k]
                reading[pool.submit(_read_strip, job, row_start, row_stop, meeting[k])] = (row_start, row_stop)

        def strip_done() -> None:
            nonlocal finished
            finished += 1
            if progress:
                progress(finished, len(strips))
            read_next()

        for _ in range(held):
            read_next()
        rings = rings_of()
        while reading or weighing:
            for future in wait([*reading, *weighing], return_when=FIRST_COMPLETED).done:
                if future in reading:
                    (row_start, row_stop), strip = reading.pop(future), future.result()
                    shares = [] if strip is None else _shares(job, strip.units, row_start, row_stop, task_work)
                    weighing.update({pool.submit(_weigh, job, rings, strip, share): row_start for share in shares})
                    shares_left[row_start] = len(shares)
                else:
                    row_start = weighing.pop(future)
                    _merge(totals, future.result())
                    shares_left[row_start] -= 1
                if not shares_left[row_start]:
                    strip_done()
    return totals


def _run_on_dask(job: _Job, rings: Rings, strips, scheduler: str, progress) -> dict:
    """The strips on a Dask cluster, each shared out into tasks that read their own units' window;
    results merged here as they arrive, exactly as in-process."""
    from dask.distributed import as_completed as dask_completed

    totals = _empty_totals(len(job.row_span))
    meeting, works = _strip_units(job, strips)
    with dask_client(scheduler) as client:
        task_work = works.sum() / (TASKS_PER_CORE * sum(client.nthreads().values()))
        # the job and the units' rings travel once per worker
        shared_job, shared_rings = client.scatter(job, broadcast=True), client.scatter(rings, broadcast=True)
        tasks = []
        for units, (s0, s1) in zip(meeting, strips):
            tasks += [(s0, s1, units[share]) for share in _shares(job, units, s0, s1, task_work)]
        futures = [client.submit(_read_and_weigh, shared_job, shared_rings, *task, pure=False) for task in tasks]
        for done, future in enumerate(dask_completed(futures), start=1):
            _merge(totals, future.result())
            if progress:
                progress(done, len(tasks))
    return totals


def _read_and_weigh(job: _Job, rings: Rings, row_start: int, row_stop: int, units: np.ndarray) -> dict:
    """One Dask task: the window of ``units`` in a strip read and weighed."""
    strip = _read_strip(job, row_start, row_stop, units)
    return _weigh(job, rings, strip, np.arange(units.size))


def _strip_units(job: _Job, strips) -> tuple[list[np.ndarray], np.ndarray]:
    """The units meeting each strip (west to east) and the strip's work."""
    meeting = [_meeting(job, s0, s1) for s0, s1 in strips]
    return meeting, np.array([_work(job, units, s0, s1).sum() for units, (s0, s1) in zip(meeting, strips)])


def _work(job: _Job, units: np.ndarray, row_start: int, row_stop: int) -> np.ndarray:
    """Each unit's work in a strip: the cells of its box there, plus a fixed cost per unit."""
    rows = np.minimum(job.row_span[units, 1], row_stop) - np.maximum(job.row_span[units, 0], row_start)
    return rows * (job.col_span[units, 1] - job.col_span[units, 0]) + UNIT_COST_CELLS


def _row_span(geoms: np.ndarray, transform) -> np.ndarray:
    """First and last+1 pixel row touched by each geometry (empty ones get an empty span)."""
    bounds = shapely.bounds(geoms)  # minx, miny, maxx, maxy
    return _span((bounds[:, 1] - transform.f) / transform.e, (bounds[:, 3] - transform.f) / transform.e)


def _col_span(geoms: np.ndarray, transform) -> np.ndarray:
    """First and last+1 pixel column touched by each geometry (empty ones get an empty span)."""
    bounds = shapely.bounds(geoms)
    return _span((bounds[:, 0] - transform.c) / transform.a, (bounds[:, 2] - transform.c) / transform.a)


def _span(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    span = np.column_stack([np.floor(np.minimum(a, b)), np.floor(np.maximum(a, b)) + 1])
    return np.where(np.isnan(span), 0, span).astype(np.int64)


@dataclass
class _Strip:
    """A strip of rows read once: the units meeting it (west to east) and the window of the
    raster's cells they cover."""

    units: np.ndarray
    values: np.ndarray  # the raster's own type
    valid: np.ndarray
    first_cell: tuple[int, int]  # row and column of the window's first cell


def _meeting(job: _Job, row_start: int, row_stop: int) -> np.ndarray:
    """The units that meet rows [row_start, row_stop), west to east."""
    meets = np.flatnonzero((job.row_span[:, 0] < row_stop) & (job.row_span[:, 1] > row_start))
    return meets[np.argsort(job.col_span[meets, 0], kind="stable")]


def _read_strip(job: _Job, row_start: int, row_stop: int, units: np.ndarray) -> _Strip | None:
    """The window of ``units`` in rows [row_start, row_stop), one cell wider on each side than
    their bounds (the kernel leaves out what lies beyond the window)."""
    if not units.size:
        return None
    with open_raster(job.path, job.name) as src:
        width = src.width
        col0, col1 = max(job.col_span[units, 0].min() - 1, 0), min(job.col_span[units, 1].max() + 1, width)
        top, bottom = max(job.row_span[units, 0].min() - 1, row_start), min(job.row_span[units, 1].max() + 1, row_stop)
        if col1 <= col0 or bottom <= top:
            return None
        data = read_window(src, job.band, Window(col0, top, col1 - col0, bottom - top), job.name)
    values = np.ma.getdata(data)
    return _Strip(units, values, ~np.ma.getmaskarray(data) & np.isfinite(values), (top, col0))


def _weigh(job: _Job, rings: Rings, strip: _Strip | None, share: np.ndarray) -> dict:
    """Partial results of the strip's units at positions ``share`` (none when nothing was read)."""
    if strip is None:
        return {"index": [], "count": [], "mean": [], "m2": [], "min": [], "max": [], "classes": []}
    return window_totals(rings, strip.units[share], strip.values, strip.valid, strip.first_cell, job.categorical)


def _shares(job: _Job, units: np.ndarray, row_start: int, row_stop: int, task_work: float) -> list[np.ndarray]:
    """``units`` (west to east) as contiguous shares (positions) of about ``task_work`` each."""
    if not units.size:
        return []
    work = np.cumsum(_work(job, units, row_start, row_stop))
    parts = max(1, int(np.ceil(work[-1] / task_work)))
    edges = np.searchsorted(work, work[-1] * np.arange(1, parts) / parts)
    return [share for share in np.split(np.arange(len(units)), edges) if share.size]


def _merge(totals: dict, part: dict) -> None:
    """Add a band's partial results (weighted count, mean and squared deviations combine exactly)."""
    index = np.asarray(part["index"], dtype=np.int64)
    if not index.size:
        return
    count_b, mean_b, m2_b = (np.asarray(part[k], dtype=float) for k in ("count", "mean", "m2"))
    count_a, mean_a = totals["count"][index], totals["mean"][index]
    count = count_a + count_b
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(count > 0, count_b / count, 0.0)
    delta = mean_b - mean_a
    totals["mean"][index] = mean_a + delta * share
    totals["m2"][index] += m2_b + delta * delta * count_a * share
    totals["count"][index] = count
    totals["min"][index] = np.minimum(totals["min"][index], part["min"])  # a unit is in a part once
    totals["max"][index] = np.maximum(totals["max"][index], part["max"])
    for i, classes in zip(index, part["classes"]):
        for value, weight in classes.items():
            totals["classes"][i][value] = totals["classes"][i].get(value, 0.0) + weight


MAX_CLASSES = 256  # classes of a categorical raster: each becomes a column of every export


def _table(totals: dict, projected: gpd.GeoSeries, transform, categorical: bool, index, name: str) -> pd.DataFrame:
    count = totals["count"]
    has = count > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(has, totals["mean"], np.nan)
        variance = np.where(has, totals["m2"] / count, np.nan)
    cell_area = abs(transform.a * transform.e)
    area = shapely.area(projected.values)  # in the raster CRS units, like the cell area
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(area > 0, count * cell_area / area, 0.0)
    table = pd.DataFrame(
        {
            "mean": mean,
            "min": np.where(has, totals["min"], np.nan),
            "max": np.where(has, totals["max"], np.nan),
            "std": np.sqrt(np.clip(variance, 0, None)),
            "sum": np.where(has, mean * count, np.nan),
            "count": count,
            "coverage": np.clip(coverage, 0, 1),
        },
        index=index,
    )
    table["cakupan"] = np.select([coverage >= COMPLETE, coverage > 0], ["full", "partial"], "none")
    if categorical:
        by_unit = totals["classes"]
        classes = sorted({value for unit in by_unit.values() for value in unit})
        if len(classes) > MAX_CLASSES:
            raise RasterError(
                f"{name} has {len(classes):,} different values under the units; a categorical overlay takes at most "
                f"{MAX_CLASSES} classes (land cover, soil or zone codes): for measured values leave 'categorical' off"
            )
        for value in classes:
            name = f"frac_{int(value) if float(value).is_integer() else value}"
            table[name] = [by_unit[i].get(value, 0.0) / c if c > 0 else np.nan for i, c in enumerate(count)]
    return table


def overlay_layer(
    layers,
    level: str,
    raster: str | Path,
    band: int = 1,
    stats: tuple[str, ...] = STATISTICS,
    *,
    categorical: bool = False,
    progress: Callable[[int, int], None] | None = None,
    name: str | None = None,
    scheduler: str | None = None,
) -> gpd.GeoDataFrame:
    """The batik layer of ``level`` with the raster statistics joined as ``r_<stat>`` columns,
    ``r_cakupan`` (full / partial / none) and, for categorical rasters, ``r_frac_<class>``;
    messages call the raster ``name`` (an upload is stored under its checksum); ``scheduler``
    runs the bands on Dask."""
    unknown = [s for s in stats if s not in STATISTICS]
    if unknown or not stats:
        raise OptionError(f"unknown statistic(s) {unknown or stats}: use {', '.join(STATISTICS)}")
    layer = layers.level(level)
    table = zonal_statistics(
        layer.geometry, raster, band, categorical=categorical, progress=progress, name=name, scheduler=scheduler
    )
    chosen = [*stats, "cakupan", *(c for c in table.columns if c.startswith("frac_"))]
    joined = layer.copy()
    for column in dict.fromkeys(chosen):
        joined[f"r_{column}"] = table[column].to_numpy()
    return joined


def overlay_metadata(raster: str | Path, band: int, categorical: bool, name: str | None = None) -> dict[str, str]:
    """Provenance of overlay columns, for exports; ``name`` is the raster's name as the user knows
    it (an upload is stored under its checksum)."""
    info = raster_info(raster, band)
    return {
        "raster": name or Path(raster).name,
        "raster_band": str(band),
        "raster_crs": info.crs,
        "raster_ukuran": f"{info.width} x {info.height}",
        "raster_metode": (
            "statistik berbobot cakupan sel yang tepat (exact coverage-weighted); "
            "r_coverage = bagian luas unit yang tertutup sel valid"
            + ("; r_frac_<kelas> = bagian tiap kelas" if categorical else "")
        ),
    }


def correlation(layer: pd.DataFrame, x: str, y: str) -> tuple[float | None, int]:
    """Pearson correlation of two columns over the units where both have values, and that count."""
    pairs = layer[[x, y]].astype(float).dropna()
    if len(pairs) < 3 or pairs[x].std() == 0 or pairs[y].std() == 0:
        return None, len(pairs)
    return float(pairs[x].corr(pairs[y])), len(pairs)


MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def stored_upload(data: bytes, name: str, folder: Path) -> Path:
    """Keep an uploaded raster in ``folder`` (the session's upload folder), named by its SHA-256,
    so GDAL can read it."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise RasterError(
            f"{name}: {len(data) / 1e6:.0f} MB is over the upload limit of "
            f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB; use `atlas overlay` for larger rasters"
        )
    digest = hashlib.sha256(data).hexdigest()[:20]
    path = folder / f"{digest}.tif"  # never a suffix chosen by the uploader
    if not path.exists():
        with atomic_path(path) as tmp:  # kept only when GDAL can use it
            tmp.write_bytes(data)
            raster_info(tmp, name=name)
    return path
