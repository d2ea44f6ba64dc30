"""Exact fraction of each raster cell covered by a polygon (vectorised, no supersampling).

The polygon's edges are cut at every grid line into pieces that each lie in one cell. Following
Green's theorem, a piece running ``dy`` rows down at mean column position ``x`` contributes
``dy * (c + 1 - x)`` to its own cell ``c`` and ``dy`` to every cell to its right in the same row;
an exclusive running sum along each row then gives the exact covered area of every cell.
Rows are independent, so a polygon can be processed one band of rows at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from affine import Affine


@dataclass(frozen=True)
class EdgePieces:
    """The pieces of a polygon's boundary in pixel space, sorted by row."""

    rows: np.ndarray  # int64 row of each piece
    cols: np.ndarray  # int64 column of each piece
    area: np.ndarray  # area term, dy * (c + 1 - mean x)
    cover: np.ndarray  # dy, carried to the cells right of the piece
    col_min: int
    col_max: int  # exclusive
    row_min: int
    row_max: int  # exclusive
    sign: float  # +1 or -1, so that covered areas come out positive

    def band(self, row_start: int, row_stop: int) -> tuple[np.ndarray, int]:
        """Coverage fractions of rows [row_start, row_stop) x [col_min, col_max), and the first row."""
        start = max(row_start, self.row_min)
        stop = min(row_stop, self.row_max)
        width = self.col_max - self.col_min
        if stop <= start:
            return np.zeros((0, width)), start
        lo, hi = np.searchsorted(self.rows, [start, stop])
        index = (self.rows[lo:hi] - start) * width + (self.cols[lo:hi] - self.col_min)
        size = (stop - start) * width
        area = np.bincount(index, self.area[lo:hi], minlength=size).reshape(stop - start, width)
        cover = np.bincount(index, self.cover[lo:hi], minlength=size).reshape(stop - start, width)
        running = np.cumsum(cover, axis=1) - cover  # cover of the cells to the left
        fraction = (area + running) * self.sign
        return np.clip(fraction, 0.0, 1.0), start


def edge_pieces(geometry, transform: Affine) -> EdgePieces:
    """Cut the boundary of a (multi)polygon, given in the raster's CRS, at the grid of ``transform``."""
    if transform.b != 0 or transform.d != 0:
        raise ValueError("rotated or sheared rasters are not supported")
    geometry = shapely.orient_polygons(geometry, exterior_cw=False)
    inverse = ~transform
    starts, ends = [], []
    for ring in _rings(geometry):
        coords = np.asarray(ring.coords)
        px = inverse.a * coords[:, 0] + inverse.c
        py = inverse.e * coords[:, 1] + inverse.f
        starts.append(np.column_stack([px[:-1], py[:-1]]))
        ends.append(np.column_stack([px[1:], py[1:]]))
    p0, p1 = np.concatenate(starts), np.concatenate(ends)
    # a flipped axis mirrors the orientation: the sign puts covered areas back to positive
    sign = 1.0 if (transform.a > 0) != (transform.e > 0) else -1.0

    t_edge, t_value = _cuts(p0, p1)
    order = np.lexsort((t_value, t_edge))
    t_edge, t_value = t_edge[order], t_value[order]
    same = t_edge[:-1] == t_edge[1:]
    edge, ta, tb = t_edge[:-1][same], t_value[:-1][same], t_value[1:][same]
    delta = p1[edge] - p0[edge]
    a = p0[edge] + delta * ta[:, None]
    b = p0[edge] + delta * tb[:, None]
    mid = (a + b) / 2
    cols = np.floor(mid[:, 0]).astype(np.int64)
    rows = np.floor(mid[:, 1]).astype(np.int64)
    dy = b[:, 1] - a[:, 1]
    area = dy * (cols + 1 - mid[:, 0])
    keep = dy != 0
    rows, cols, area, dy = rows[keep], cols[keep], area[keep], dy[keep]
    by_row = np.argsort(rows, kind="stable")
    all_x = np.concatenate([p0[:, 0], p1[:, 0]])
    all_y = np.concatenate([p0[:, 1], p1[:, 1]])
    return EdgePieces(
        rows[by_row], cols[by_row], area[by_row], dy[by_row],
        int(np.floor(all_x.min())), int(np.floor(all_x.max())) + 1,
        int(np.floor(all_y.min())), int(np.floor(all_y.max())) + 1, sign,
    )


def _rings(geometry):
    polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    for polygon in polygons:
        yield polygon.exterior
        yield from polygon.interiors


def _cuts(p0: np.ndarray, p1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(edge index, t) of every edge's ends (t = 0, 1) and grid-line crossings (0 < t < 1)."""
    n = len(p0)
    edges = [np.arange(n), np.arange(n)]
    values = [np.zeros(n), np.ones(n)]
    for axis in (0, 1):
        start, stop = p0[:, axis], p1[:, axis]
        low = np.floor(np.minimum(start, stop))
        count = (np.floor(np.maximum(start, stop)) - low).astype(np.int64)
        which = np.repeat(np.arange(n), count)
        offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        line = low[which] + 1 + offset
        span = stop[which] - start[which]
        edges.append(which)
        values.append((line - start[which]) / span)
    return np.concatenate(edges), np.concatenate(values)
