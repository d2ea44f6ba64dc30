"""Parse the upstream ``wilayah_boundaries`` SQL dumps into shapely geometries.

Each row is ``('kode','nama',lat,lng,'path')`` inside ``INSERT`` statements. ``path`` is a JSON
array of rings (a Polygon) or of polygons (a MultiPolygon) with coordinates in **[lat, lng]**
order, which is swapped here to GeoJSON's [lon, lat]. Names escape an apostrophe as ``''``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from atlas.errors import BoundaryParseError

_ROW = re.compile(
    r"\(\s*'(?P<kode>[0-9.]+)'\s*,\s*'(?P<nama>(?:[^']|'')*)'\s*,"
    r"\s*(?P<lat>[-+0-9.eE]+|NULL)\s*,\s*(?P<lng>[-+0-9.eE]+|NULL)\s*,\s*'(?P<path>[^']*)'\s*\)"
)


@dataclass(frozen=True)
class BoundaryRow:
    """One unit of the upstream file."""

    kode: str
    nama: str
    geometry: BaseGeometry


def iter_rows(
    text: str, keep: Callable[[str], bool] = lambda kode: True, source: str = "<text>"
) -> Iterator[BoundaryRow]:
    """Yield the rows of an upstream SQL dump whose code passes ``keep``.

    Only kept rows have their geometry decoded, so filtering a province-wide file is cheap.
    """
    for match in _ROW.finditer(text):
        kode = match["kode"]
        if not keep(kode):
            continue
        nama = match["nama"].replace("''", "'")
        try:
            geometry = path_to_geometry(json.loads(match["path"]))
        except (ValueError, TypeError, IndexError) as exc:
            line = text.count("\n", 0, match.start()) + 1
            raise BoundaryParseError(
                f"{source}, line {line}: cannot read the polygon of {kode} ({nama}): {exc}"
            ) from exc
        yield BoundaryRow(kode, nama, geometry)


def path_to_geometry(path: list) -> BaseGeometry:
    """Polygon or MultiPolygon from an upstream ``path`` array of [lat, lng] pairs."""
    if not path:
        raise ValueError("empty path")
    depth = _depth(path)
    if depth == 3:
        return _polygon(path)
    if depth == 4:
        return shapely.multipolygons([_polygon(part) for part in path])
    raise ValueError(f"expected rings (depth 3) or polygons (depth 4), got depth {depth}")


def _depth(value) -> int:
    depth = 0
    while isinstance(value, list):
        if not value:
            raise ValueError("empty ring or polygon")
        value = value[0]
        depth += 1
    return depth


def _polygon(rings: list) -> BaseGeometry:
    shell, *holes = (_ring(r) for r in rings)
    return shapely.Polygon(shell, holes)


def _ring(latlng: list) -> np.ndarray:
    coords = np.asarray(latlng, dtype=float)
    if coords.ndim != 2 or coords.shape[1] != 2:
        raise ValueError(f"a ring must be a list of [lat, lng] pairs, got shape {coords.shape}")
    lon_lat = coords[:, ::-1]
    if len(lon_lat) < 3:
        raise ValueError(f"a ring needs at least 3 points, got {len(lon_lat)}")
    return lon_lat
