"""Exact fraction of each raster cell covered by polygons (vectorised, no supersampling).

Each polygon's edges are cut at every grid line into pieces that each lie in one cell. Following
Green's theorem, a piece running ``dy`` rows down at mean column position ``x`` contributes
``dy * (c + 1 - x)`` to its own cell ``c`` and ``dy`` to every cell to its right in the same row.
So in each row a polygon covers two kinds of cells: the **border cells** its boundary passes
through, each with a fraction of its own, and between two border cells a **run** of cells that
all share one fraction, the running sum of ``dy`` (1 inside, 0 outside, or the share of the row
under a horizontal edge). Interior cells are never visited one by one, and rows are independent,
so a window of rows can be covered on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from affine import Affine

from atlas.analysis._cover import cover_cells
from atlas.errors import RasterError

#: A cell covered less than this is rounding, not cover (1e-12 of a cell).
MIN_FRACTION = 1e-12


@dataclass(frozen=True)
class GridWindow:
    """Rows [row_start, row_stop) and columns [col_start, col_stop) of a raster's grid."""

    row_start: int
    row_stop: int
    col_start: int
    col_stop: int


@dataclass(frozen=True)
class Cover:
    """What polygons cover in a window: border cells one by one, whole runs of cells between them.
    Rows and columns are the grid's; ``unit`` and ``run_unit`` are positions in the polygon list."""

    unit: np.ndarray  # border cells, grouped by polygon, then row, then column
    row: np.ndarray
    col: np.ndarray
    fraction: np.ndarray
    run_unit: np.ndarray  # runs, in the same order
    run_row: np.ndarray
    run_start: np.ndarray  # first column of the run
    run_stop: np.ndarray  # last column + 1
    run_fraction: np.ndarray


def cover(geometries, transform: Affine, window: GridWindow) -> Cover:
    """The cover of each (multi)polygon, in the raster's CRS, in ``window`` of the grid of ``transform``."""
    if transform.b != 0 or transform.d != 0:
        raise RasterError("rotated or sheared rasters are not supported; warp the raster to a north-up grid")
    geoms = shapely.orient_polygons(np.asarray(geometries, dtype=object), exterior_cw=False)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords = shapely.get_coordinates(rings)
    ring_start = np.r_[0, np.cumsum(shapely.get_num_coordinates(rings))]
    inverse = ~transform
    x = np.ascontiguousarray(inverse.a * coords[:, 0] + inverse.c)
    y = np.ascontiguousarray(inverse.e * coords[:, 1] + inverse.f)
    sign = 1.0 if (transform.a > 0) != (transform.e > 0) else -1.0  # a flipped axis mirrors orientation
    found = cover_cells(
        x,
        y,
        ring_start.astype(np.int64),
        owner[ring_part].astype(np.int64),
        window.row_start,
        window.row_stop,
        window.col_start,
        window.col_stop,
        sign,
        MIN_FRACTION,
    )
    return Cover(*found)
