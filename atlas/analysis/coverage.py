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

from atlas.errors import RasterError


@dataclass(frozen=True)
class EdgePieces:
    """The pieces of a polygon's boundary in pixel space."""

    rows: np.ndarray  # int64 row of each piece (in no particular order)
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
        inside = (self.rows >= start) & (self.rows < stop)
        index = (self.rows[inside] - start) * width + (self.cols[inside] - self.col_min)
        size = (stop - start) * width
        area = np.bincount(index, self.area[inside], minlength=size).reshape(stop - start, width)
        cover = np.bincount(index, self.cover[inside], minlength=size).reshape(stop - start, width)
        fraction = np.cumsum(cover, axis=1, dtype=np.float64)  # in place from here: no box-sized temporaries
        fraction -= cover  # the cover of the cells to the left
        fraction += area
        fraction *= self.sign
        return np.clip(fraction, 0.0, 1.0, out=fraction), start


def edge_pieces(geometry, transform: Affine) -> EdgePieces:
    """Cut the boundary of one (multi)polygon, in the raster's CRS, at the grid of ``transform``."""
    pieces = edge_pieces_many([geometry], transform)[0]
    if pieces is None:
        raise RasterError("an empty geometry has no edges to cut")
    return pieces


def edge_pieces_many(geometries, transform: Affine) -> list[EdgePieces | None]:
    """``edge_pieces`` of many (multi)polygons in one vectorised pass; None for empty ones."""
    if transform.b != 0 or transform.d != 0:
        raise RasterError("rotated or sheared rasters are not supported; warp the raster to a north-up grid")
    geoms = shapely.orient_polygons(np.asarray(geometries, dtype=object), exterior_cw=False)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    inverse = ~transform
    px = inverse.a * coords[:, 0] + inverse.c
    py = inverse.e * coords[:, 1] + inverse.f
    same_ring = ring_of[:-1] == ring_of[1:]
    p0 = np.column_stack([px[:-1], py[:-1]])[same_ring]
    p1 = np.column_stack([px[1:], py[1:]])[same_ring]
    edge_owner = owner[ring_part[ring_of[:-1][same_ring]]]
    # a flipped axis mirrors the orientation: the sign puts covered areas back to positive
    sign = 1.0 if (transform.a > 0) != (transform.e > 0) else -1.0

    t_edge, t_value = _cuts(p0, p1)
    order = np.argsort(2.0 * t_edge + t_value)  # by edge, then along it (0 <= t <= 1)
    t_edge, t_value = t_edge[order], t_value[order]
    same = t_edge[:-1] == t_edge[1:]
    edge, ta, tb = t_edge[:-1][same], t_value[:-1][same], t_value[1:][same]
    delta = p1[edge] - p0[edge]
    a = p0[edge] + delta * ta[:, None]
    b = p0[edge] + delta * tb[:, None]
    mid = (a + b) / 2
    dy = b[:, 1] - a[:, 1]
    keep = dy != 0
    edge, mid, dy = edge[keep], mid[keep], dy[keep]
    cols = np.floor(mid[:, 0]).astype(np.int64)
    rows = np.floor(mid[:, 1]).astype(np.int64)
    area = dy * (cols + 1 - mid[:, 0])

    # pieces and vertices come grouped by geometry, in order: slice each geometry's share
    count = len(geoms)
    piece_bounds = np.searchsorted(edge_owner[edge], np.arange(count + 1))
    vertex_owner = owner[ring_part[ring_of]]
    vertex_bounds = np.searchsorted(vertex_owner, np.arange(count + 1))
    result: list[EdgePieces | None] = [None] * count
    for i in range(count):
        v0, v1 = vertex_bounds[i], vertex_bounds[i + 1]
        if v1 == v0:
            continue
        span = slice(piece_bounds[i], piece_bounds[i + 1])
        result[i] = EdgePieces(
            rows[span],
            cols[span],
            area[span],
            dy[span],
            int(np.floor(px[v0:v1].min())),
            int(np.floor(px[v0:v1].max())) + 1,
            int(np.floor(py[v0:v1].min())),
            int(np.floor(py[v0:v1].max())) + 1,
            sign,
        )
    return result


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
