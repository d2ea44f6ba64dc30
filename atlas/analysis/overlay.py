"""Exact, coverage-weighted raster statistics per unit (zonal statistics), for any band.

The raster is read once, in bands of rows (bounded memory, any raster size); each cell's weight is
the exact fraction of it that a unit covers (``coverage``), so border cells count in part. Work is
shared between the machine's cores. Polygons are reprojected to the raster's CRS; the raster is
never resampled. Nodata and masked cells are left out and reported through ``coverage``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio.windows import Window

from atlas import config
from atlas.analysis.cluster import dask_client
from atlas.analysis.coverage import window_totals
from atlas.analysis.rasters import open_raster, read_window
from atlas.atomic import atomic_path
from atlas.errors import OptionError, RasterError

STATISTICS = ("mean", "min", "max", "std", "sum", "count", "coverage")
STRIP_BYTES = 32 * 1024 * 1024  # raster data held per worker at a time
TASKS_PER_CORE = 2  # at least this many tasks per core, so none idles on a raster of few bands
#: The work of one unit beyond its cells (clipping, cutting its edges), in cells, for sharing out a band.
UNIT_COST_CELLS = 2_000
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
    path: str
    name: str  # the raster's name as the user knows it, for messages
    band: int
    geometries: np.ndarray  # in the raster's CRS
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
    rows = max(block_rows, STRIP_BYTES // max(info.width * itemsize, 1) // block_rows * block_rows)
    strips = [(start, min(start + rows, info.height)) for start in range(0, info.height, rows)]
    bands = [(s0, s1) for s0, s1 in strips if ((row_span[:, 0] < s1) & (row_span[:, 1] > s0)).any()]
    # fewer bands than tasks to keep every core busy: the units of a band are shared out too
    parts = max(1, -(-TASKS_PER_CORE * (workers or os.cpu_count() or 1) // max(len(bands), 1)))
    tasks = [(s0, s1, part, parts) for s0, s1 in bands for part in range(parts)]
    job = _Job(str(raster), name, band, geoms, row_span, _col_span(geoms, transform), categorical)
    totals = _run_on_dask(job, tasks, scheduler, progress) if scheduler else _run(job, tasks, workers, progress)
    table = _table(totals, projected, transform, categorical, geometries.index)
    measured = table.loc[table["count"] > 0, ["mean", "min", "max", "std", "sum"]].to_numpy()
    if not np.isfinite(measured).all():
        raise RasterError(f"{name} holds values beyond the range of floating-point numbers (e.g. 1.7e308)")
    return table


def _empty_totals(n: int) -> dict:
    return {
        "count": np.zeros(n),
        "mean": np.zeros(n),
        "m2": np.zeros(n),
        "min": np.full(n, np.inf),
        "max": np.full(n, -np.inf),
        "classes": [{} for _ in range(n)],
    }


def _run_on_dask(job: _Job, tasks, scheduler: str, progress) -> dict:
    """The band tasks on a Dask cluster; results merged here as they arrive, exactly as in-process."""
    from dask.distributed import as_completed as dask_completed

    totals = _empty_totals(len(job.geometries))
    with dask_client(scheduler) as client:
        shared = client.scatter(job, broadcast=True)  # the geometries travel once per worker
        futures = [client.submit(_strip_totals, shared, *task, pure=False) for task in tasks]
        for done, future in enumerate(dask_completed(futures), start=1):
            _merge(totals, future.result())
            if progress:
                progress(done, len(tasks))
    return totals


def _run(job: _Job, tasks, workers, progress) -> dict:
    """The band tasks in threads of this process: reading (GDAL), cutting (shapely) and the numpy
    passes release the GIL, so the threads keep the cores busy with no copy of the job, and the
    app's threaded server runs the same path."""
    totals = _empty_totals(len(job.geometries))
    with ThreadPoolExecutor(workers or os.cpu_count() or 1) as pool:
        futures = [pool.submit(_strip_totals, job, *task) for task in tasks]
        for done, future in enumerate(as_completed(futures), start=1):
            _merge(totals, future.result())
            if progress:
                progress(done, len(tasks))
    return totals


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


def _strip_totals(job: _Job, row_start: int, row_stop: int, part: int = 0, parts: int = 1) -> dict:
    """Partial results of the units that meet rows [row_start, row_stop) (share ``part`` of
    ``parts``, from west to east, so that each task reads only the columns of its own units): the
    units are clipped to the band, their edges cut at the grid, and the band's cells weighted."""
    meets = np.flatnonzero((job.row_span[:, 0] < row_stop) & (job.row_span[:, 1] > row_start))
    meets = _share(job, meets[np.argsort(job.col_span[meets, 0], kind="stable")], row_start, row_stop, part, parts)
    out: dict[str, list] = {"index": [], "count": [], "mean": [], "m2": [], "min": [], "max": [], "classes": []}
    if not meets.size:
        return out
    with open_raster(job.path, job.name) as src:
        width, transform = src.width, src.transform
        # the window of these units in the band, one cell wider on each side than their bounds
        col0, col1 = max(job.col_span[meets, 0].min() - 1, 0), min(job.col_span[meets, 1].max() + 1, width)
        top, bottom = max(job.row_span[meets, 0].min() - 1, row_start), min(job.row_span[meets, 1].max() + 1, row_stop)
        if col1 <= col0 or bottom <= top:
            return out
        data = read_window(src, job.band, Window(col0, top, col1 - col0, bottom - top), job.name)
    values = np.ma.getdata(data)  # the raster's own type
    valid = ~np.ma.getmaskarray(data) & np.isfinite(values)
    geoms = job.geometries[meets]
    across = (job.row_span[meets, 0] < row_start) | (job.row_span[meets, 1] > row_stop)
    if across.any():  # units reaching beyond the band: only their part in it is cut
        y0, y1 = transform.f + row_start * transform.e, transform.f + row_stop * transform.e
        x = shapely.bounds(geoms[across])
        geoms = geoms.copy()
        geoms[across] = shapely.clip_by_rect(
            geoms[across], np.nanmin(x[:, 0]) - 1, min(y0, y1), np.nanmax(x[:, 2]) + 1, max(y0, y1)
        )
    totals = window_totals(geoms, transform, values, valid, (top, col0), job.categorical)
    totals["index"] = meets[totals["index"]]
    return totals


def _share(job: _Job, units: np.ndarray, row_start: int, row_stop: int, part: int, parts: int) -> np.ndarray:
    """Share ``part`` of ``parts`` of ``units`` (sorted west to east): contiguous runs of about
    equal work, counted as the cells of each unit's box in the band plus a fixed cost per unit."""
    if parts == 1:
        return units
    rows = np.minimum(job.row_span[units, 1], row_stop) - np.maximum(job.row_span[units, 0], row_start)
    work = np.cumsum(rows * (job.col_span[units, 1] - job.col_span[units, 0]) + UNIT_COST_CELLS)
    edges = np.searchsorted(work, work[-1] * np.arange(1, parts) / parts)
    return np.split(units, edges)[part]


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
    np.minimum.at(totals["min"], index, part["min"])
    np.maximum.at(totals["max"], index, part["max"])
    for i, classes in zip(index, part["classes"]):
        for value, weight in classes.items():
            totals["classes"][i][value] = totals["classes"][i].get(value, 0.0) + weight


def _table(totals: dict, projected: gpd.GeoSeries, transform, categorical: bool, index) -> pd.DataFrame:
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
        classes = sorted({value for unit in totals["classes"] for value in unit})
        for value in classes:
            name = f"frac_{int(value) if float(value).is_integer() else value}"
            table[name] = [unit.get(value, 0.0) / c if c > 0 else np.nan for unit, c in zip(totals["classes"], count)]
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


def stored_upload(data: bytes, name: str) -> Path:
    """Keep an uploaded raster in the cache folder (named by its SHA-256) so GDAL can read it."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise RasterError(
            f"{name}: {len(data) / 1e6:.0f} MB is over the upload limit of "
            f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB; use `atlas overlay` for larger rasters"
        )
    digest = hashlib.sha256(data).hexdigest()[:20]
    path = config.cache_dir() / "uploads" / f"{digest}.tif"  # never a suffix chosen by the uploader
    if not path.exists():
        with atomic_path(path) as tmp:  # kept only when GDAL can use it
            tmp.write_bytes(data)
            raster_info(tmp, name=name)
    return path
