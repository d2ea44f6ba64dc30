"""Write the benchmark raster: float32 GeoTIFF, tiled 512 x 512, deflate, smooth field plus noise
(so it does not compress trivially), covering given bounds. Labelled synthetic data."""

from __future__ import annotations

import numpy as np
import rasterio
from rasterio.transform import from_bounds
from rasterio.windows import Window

BLOCK = 512


def write_benchmark_raster(path, bounds, size: int = 10_000, crs: str = "EPSG:4326", seed: int = 0) -> str:
    """Write a size x size raster over ``bounds`` (minx, miny, maxx, maxy), one strip at a time."""
    minx, miny, maxx, maxy = bounds
    transform = from_bounds(minx, miny, maxx, maxy, size, size)
    rng = np.random.default_rng(seed)
    profile = dict(
        driver="GTiff",
        width=size,
        height=size,
        count=1,
        dtype="float32",
        crs=crs,
        transform=transform,
        nodata=-9999.0,
        tiled=True,
        blockxsize=BLOCK,
        blockysize=BLOCK,
        compress="deflate",
        BIGTIFF="IF_SAFER",
    )
    cols = np.arange(size)
    with rasterio.open(path, "w", **profile) as dst:
        for start in range(0, size, BLOCK):
            rows = np.arange(start, min(start + BLOCK, size))[:, None]
            smooth = 20 * np.sin(rows / 700.0) + 15 * np.cos(cols / 900.0)[None, :]
            noise = rng.normal(0, 5, (len(rows), size))
            dst.write((100 + smooth + noise).astype("float32"), 1, window=Window(0, start, size, len(rows)))
    return str(path)
