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

from dataclasses import dataclass, fields

import numpy as np
import shapely
from affine import Affine

from atlas.errors import RasterError

#: A cell covered less than this is rounding, not cover (1e-12 of a cell).
MIN_FRACTION = 1e-12
#: Polygons covered together: their pieces stay in the processor's cache (faster than all at once).
POLYGONS_AT_A_TIME = 200


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

    @classmethod
    def empty(cls) -> Cover:
        """Nothing covered."""
        whole, part = np.zeros(0, np.int64), np.zeros(0)
        return cls(whole, whole, whole, part, whole, whole, whole, whole, part)

    @classmethod
    def joined(cls, covers: list[Cover]) -> Cover:
        """The covers of consecutive groups of polygons as one."""
        if not covers:
            return cls.empty()
        return cls(*(np.concatenate([getattr(c, field.name) for c in covers]) for field in fields(cls)))


def cover(geometries, transform: Affine, window: GridWindow) -> Cover:
    """The cover of each (multi)polygon, in the raster's CRS, in ``window`` of the grid of ``transform``."""
    geometries = np.asarray(geometries, dtype=object)
    return Cover.joined(
        [
            _group_cover(geometries[first : first + POLYGONS_AT_A_TIME], first, transform, window)
            for first in range(0, len(geometries), POLYGONS_AT_A_TIME)
        ]
    )


def _group_cover(geometries: np.ndarray, offset: int, transform: Affine, window: GridWindow) -> Cover:
    """The cover of a group of polygons, the first of which is polygon ``offset`` of the list."""
    owner, rows, cols, area, dy = _pieces(geometries, transform)
    owner += offset
    sign = 1.0 if (transform.a > 0) != (transform.e > 0) else -1.0  # a flipped axis mirrors orientation
    inside = (rows >= window.row_start) & (rows < window.row_stop)
    if not inside.all():
        owner, rows, cols, area, dy = owner[inside], rows[inside], cols[inside], area[inside], dy[inside]
    # pieces west of the window only carry their dy east; pieces east of it only end the last run
    cols = np.clip(cols, window.col_start - 1, window.col_stop)

    # one entry per (polygon, row, column) cell, in that order
    height, width = window.row_stop - window.row_start, window.col_stop - window.col_start + 2
    key = (owner * height + (rows - window.row_start)) * width + (cols - window.col_start + 1)
    if not key.size:
        return Cover.empty()
    order = np.argsort(key, kind="stable")  # pieces come in runs along each boundary: a stable sort is faster
    key = key[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    cell_area = np.add.reduceat(area[order], first)
    cell_dy = np.add.reduceat(dy[order], first)
    one_piece = order[first]
    unit, row, col = owner[one_piece], rows[one_piece], cols[one_piece]

    # running sum of dy within each line (one polygon's cells in one row), up to and including each cell
    starts_line = np.r_[True, (row[1:] != row[:-1]) | (unit[1:] != unit[:-1])]
    running = np.cumsum(cell_dy)
    line_start = np.flatnonzero(starts_line)
    before = np.where(line_start > 0, running[np.maximum(line_start - 1, 0)], 0.0)
    running -= before[np.cumsum(starts_line) - 1]

    fraction = np.clip(sign * (running - cell_dy + cell_area), 0.0, 1.0)
    border = (col >= window.col_start) & (col < window.col_stop) & (fraction > MIN_FRACTION)

    followed = np.flatnonzero(~starts_line[1:])  # cells with a next cell in the same row
    run_start = np.maximum(col[followed] + 1, window.col_start)
    run_stop = col[followed + 1]
    run_fraction = np.clip(sign * running[followed], 0.0, 1.0)
    run = (run_stop > run_start) & (run_fraction > MIN_FRACTION)
    return Cover(
        unit[border],
        row[border],
        col[border],
        fraction[border],
        unit[followed][run],
        row[followed][run],
        run_start[run],
        run_stop[run],
        run_fraction[run],
    )


def _pieces(geometries: np.ndarray, transform: Affine):
    """Every polygon's edges cut at the grid: owner, row, column, area term and dy of each piece."""
    if transform.b != 0 or transform.d != 0:
        raise RasterError("rotated or sheared rasters are not supported; warp the raster to a north-up grid")
    geoms = shapely.orient_polygons(geometries, exterior_cw=False)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    inverse = ~transform
    x, y = inverse.a * coords[:, 0] + inverse.c, inverse.e * coords[:, 1] + inverse.f
    same_ring = ring_of[:-1] == ring_of[1:]
    edges = (x[:-1][same_ring], y[:-1][same_ring], x[1:][same_ring], y[1:][same_ring])
    # cut at the row lines, then each part at the column lines; the order of the parts is free
    x0, y0, x1, y1, piece_owner = _split_columns(*_split_rows(*edges, owner[ring_part[ring_of[:-1][same_ring]]]))
    dy = y1 - y0
    keep = dy != 0
    x0, y0, x1, y1, dy = x0[keep], y0[keep], x1[keep], y1[keep], dy[keep]
    mid_x = (x0 + x1) / 2
    cols = np.floor(mid_x).astype(np.int64)
    rows = np.floor((y0 + y1) / 2).astype(np.int64)
    return piece_owner[keep], rows, cols, dy * (cols + 1 - mid_x), dy


def _split_rows(x0, y0, x1, y1, owner):
    """Segments cut where they cross a row line (y an integer): start, end and owner of each part."""
    y0, x0, y1, x1, owner = _split(y0, x0, y1, x1, owner)
    return x0, y0, x1, y1, owner


def _split_columns(x0, y0, x1, y1, owner):
    """Segments cut where they cross a column line (x an integer)."""
    return _split(x0, y0, x1, y1, owner)


def _split(u0, v0, u1, v1, owner):
    """Segments (u0, v0) -> (u1, v1) cut where u crosses an integer: each segment comes back in
    its place, as its first part if it is cut, and the further parts are appended."""
    low = np.floor(np.minimum(u0, u1))
    count = (np.floor(np.maximum(u0, u1)) - low).astype(np.int64)
    cut = np.flatnonzero(count)
    if not cut.size:
        return u0, v0, u1, v1, owner
    count, low = count[cut], low[cut]
    segment = np.repeat(np.arange(len(cut)), count)
    last = np.cumsum(count) - 1  # the last crossing of each cut segment
    step = np.arange(len(segment)) - np.repeat(last + 1 - count, count)  # 0 .. count - 1
    a_u, a_v, b_u, b_v = u0[cut], v0[cut], u1[cut], v1[cut]
    rising = (b_u > a_u)[segment]
    line = np.where(rising, low[segment] + 1 + step, low[segment] + count[segment] - step)
    t = (line - a_u[segment]) / (b_u - a_u)[segment]
    cross_v = a_v[segment] + t * (b_v - a_v)[segment]
    inner = np.ones(len(segment), bool)
    inner[last] = False  # crossing k to crossing k + 1 within one segment
    first = last + 1 - count
    # a cut segment now ends at its first crossing; its other parts follow the segments
    u1, v1 = u1.copy(), v1.copy()
    u1[cut], v1[cut] = line[first], cross_v[first]
    return (
        np.concatenate([u0, line[inner], line[last]]),
        np.concatenate([v0, cross_v[inner], cross_v[last]]),
        np.concatenate([u1, line[1:][inner[:-1]], b_u]),
        np.concatenate([v1, cross_v[1:][inner[:-1]], b_v]),
        np.concatenate([owner, owner[cut][segment[inner]], owner[cut]]),
    )
