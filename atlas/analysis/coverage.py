"""Exact coverage-weighted statistics of a window of raster cells, per polygon (no supersampling).

Each polygon's edges are cut at every grid line into pieces that each lie in one cell. Following
Green's theorem, a piece running ``dy`` rows down at mean column position ``x`` contributes
``dy * (c + 1 - x)`` to its own cell ``c`` and ``dy`` to every cell to its right in the same row.
So in each row a polygon covers two kinds of cells: the **border cells** its boundary passes
through, each with a fraction of its own, and between two border cells a **run** of cells that
all share one fraction, the running sum of ``dy`` (1 inside, 0 outside, or the share of the row
under a horizontal edge). Rows are independent, so a window of rows can be covered on its own.

Each valid cell's value is weighted by its fraction. Values are taken minus the polygon's first
valid value before squaring, so that squared deviations keep their precision when values are large
and alike. The work is done by a compiled kernel (``_coverage.pyx``) one polygon at a time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import shapely
from affine import Affine

from atlas.analysis._coverage import window_statistics
from atlas.errors import RasterError

#: A cell covered less than this is rounding, not cover (1e-12 of a cell).
MIN_FRACTION = 1e-12


@dataclass(frozen=True)
class Rings:
    """Polygons as rings of grid coordinates (column, row), as the kernel takes them: polygon ``u``
    is rings ``unit_rings[u]`` to ``unit_rings[u + 1]``; ring ``r`` is points ``ring_start[r]``
    to ``ring_start[r + 1]`` (closed), an exterior or a hole."""

    x: np.ndarray
    y: np.ndarray
    ring_start: np.ndarray
    ring_exterior: np.ndarray  # 1 for a part's exterior ring, 0 for a hole
    unit_rings: np.ndarray


def grid_rings(geometries, transform: Affine) -> Rings:
    """The rings of each (multi)polygon, in the raster's CRS, on the grid of ``transform``."""
    if transform.b != 0 or transform.d != 0:
        raise RasterError("rotated or sheared rasters are not supported; warp the raster to a north-up grid")
    geometries = np.asarray(geometries, dtype=object)
    parts, owner = shapely.get_parts(geometries, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords = shapely.get_coordinates(rings)
    inverse = ~transform
    return Rings(
        np.ascontiguousarray(inverse.a * coords[:, 0] + inverse.c),
        np.ascontiguousarray(inverse.e * coords[:, 1] + inverse.f),
        np.r_[0, np.cumsum(shapely.get_num_coordinates(rings))].astype(np.int64),
        np.r_[True, ring_part[1:] != ring_part[:-1]].astype(np.uint8),  # a part's first ring is its exterior
        np.searchsorted(owner[ring_part], np.arange(len(geometries) + 1)).astype(np.int64),
    )


def window_totals(
    rings: Rings,
    units: np.ndarray,
    values: np.ndarray,
    valid: np.ndarray,
    first_cell: tuple[int, int],
    categorical: bool,
) -> dict:
    """Partial results of the polygons ``units`` (numbers in ``rings``) that have valid covered
    cells in a window: ``values`` and ``valid`` hold the window's cells, the first at (row,
    column) ``first_cell``. Returns ``index`` (the polygons' numbers), weighted ``count``,
    ``mean``, ``m2`` (sum of weighted squared deviations), ``min``, ``max`` and, for
    ``categorical`` rasters, ``classes`` (value -> covered cells) of each."""
    index, count, mean, m2, low, high, class_unit, class_value, class_weight = window_statistics(
        rings.x,
        rings.y,
        rings.ring_start,
        rings.ring_exterior,
        rings.unit_rings,
        np.ascontiguousarray(units, dtype=np.int64),
        np.ascontiguousarray(values),
        np.ascontiguousarray(valid).view(np.uint8),
        *first_cell,
        categorical,
        MIN_FRACTION,
    )
    classes: dict[int, dict[float, float]] = defaultdict(dict)
    for unit, value, weight in zip(class_unit.tolist(), class_value.tolist(), class_weight.tolist()):
        classes[unit][value] = weight
    return {
        "index": index,
        "count": count,
        "mean": mean,
        "m2": m2,
        "min": low,
        "max": high,
        "classes": [classes[unit] for unit in index.tolist()] if categorical else [],
    }
