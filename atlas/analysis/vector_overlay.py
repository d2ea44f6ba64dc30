"""Vector statistics per unit, exact in a metric CRS (UTM 49S), for polygons, lines and points.

- polygons (e.g. a tidal-flood extent): the area of the unit they cover (overlaps counted once)
  and its share of the unit, optionally per class of an attribute;
- lines (e.g. rivers): the length inside the unit, and the distance from the unit to the nearest line;
- points (e.g. water samples): how many fall in the unit, count/mean/min/max of a numeric
  attribute, the distance to the nearest point; optionally a value for units without points
  from the nearest point or by inverse-distance weighting, labelled as such.

Each unit's geometry is intersected with the dissolved features found by an STRtree, so the
numbers are exact up to floating point; nothing is rasterised or sampled.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from atlas.analysis.vectors import METRIC_CRS, VectorLayer, attribute_values
from atlas.errors import OptionError, VectorError

FILLS = ("none", "nearest", "idw")
IDW_POWER = 2
IDW_NEIGHBOURS = 8
FILL_LABELS = {"none": "", "nearest": "titik terdekat", "idw": "interpolasi IDW"}
MEASURED = "diukur"
SQUARE_METRES_PER_KM2 = 1e6
METRES_PER_KM = 1e3


def vector_statistics(
    units: gpd.GeoSeries,
    layer: VectorLayer,
    *,
    attribute: str | None = None,
    classes: str | None = None,
    fill: str = "none",
) -> pd.DataFrame:
    """One row per unit (same index) with the ``v_`` columns for ``layer``'s kind."""
    if fill not in FILLS:
        raise OptionError(f"unknown fill {fill!r}: use {', '.join(FILLS)}")
    if classes and layer.kind != "polygon":
        raise OptionError("classes apply to polygon layers only")
    if (attribute or fill != "none") and layer.kind != "point":
        raise OptionError("an attribute and a fill apply to point layers only")
    if fill != "none" and not attribute:
        raise OptionError("a fill needs the point attribute to fill (--attribute)")
    shapes = units.to_crs(METRIC_CRS).values
    _check_overlap(shapes, layer)
    if layer.kind == "polygon":
        table = _polygons(shapes, layer, classes)
    elif layer.kind == "line":
        table = _lines(shapes, layer)
    else:
        table = _points(shapes, layer, attribute, fill)
    table.index = units.index
    return table


def _check_overlap(shapes: np.ndarray, layer: VectorLayer) -> None:
    extent = shapely.box(*shapely.total_bounds(shapes))
    if not shapely.intersects(extent, layer.frame.geometry.values).any():
        raise VectorError(f"{layer.name} does not overlap the units (its features lie elsewhere; check its CRS)")


def _area_inside(shapes: np.ndarray, features: np.ndarray) -> np.ndarray:
    """Area (m²) of each unit covered by ``features``, overlaps counted once."""
    parts = shapely.get_parts(shapely.union_all(features))
    parts = parts[shapely.get_type_id(parts) == 3]  # polygons (a repaired input may add slivers of lines)
    unit_index, part_index = shapely.STRtree(parts).query(shapes, predicate="intersects")
    areas = shapely.area(shapely.intersection(shapes[unit_index], parts[part_index]))
    return np.bincount(unit_index, areas, minlength=len(shapes))


def _polygons(shapes: np.ndarray, layer: VectorLayer, classes: str | None) -> pd.DataFrame:
    geoms = layer.frame.geometry.values
    covered = _area_inside(shapes, geoms)
    unit_area = shapely.area(shapes)
    table = pd.DataFrame({"v_luas_km2": covered / SQUARE_METRES_PER_KM2, "v_persen_luas": 100 * covered / unit_area})
    if classes:
        if classes not in layer.frame.columns or classes == layer.frame.geometry.name:
            raise VectorError(f"{layer.name} has no attribute {classes!r} to class by")
        values = layer.frame[classes].astype("string").fillna("")
        for value in sorted(values.unique()):
            area = _area_inside(shapes, geoms[(values == value).to_numpy()])
            table[class_field(value)] = 100 * area / unit_area
    return table


def class_field(value: str) -> str:
    """The column of a polygon class: ``v_kelas_<value>`` (letters, digits and _ only)."""
    return "v_kelas_" + (re.sub(r"[^0-9A-Za-z]+", "_", value).strip("_") or "kosong")


def _lines(shapes: np.ndarray, layer: VectorLayer) -> pd.DataFrame:
    parts = shapely.get_parts(shapely.union_all(layer.frame.geometry.values))
    parts = parts[np.isin(shapely.get_type_id(parts), (1, 2))]  # lines; overlaps counted once
    tree = shapely.STRtree(parts)
    unit_index, part_index = tree.query(shapes, predicate="intersects")
    lengths = shapely.length(shapely.intersection(shapes[unit_index], parts[part_index]))
    _, distance = tree.query_nearest(shapes, return_distance=True, all_matches=False)
    return pd.DataFrame(
        {
            "v_panjang_km": np.bincount(unit_index, lengths, minlength=len(shapes)) / METRES_PER_KM,
            "v_jarak_garis_km": distance / METRES_PER_KM,
        }
    )


def _points(shapes: np.ndarray, layer: VectorLayer, attribute: str | None, fill: str) -> pd.DataFrame:
    points = shapely.get_parts(layer.frame.geometry.values, return_index=True)
    point_geoms, feature_of = points
    point_index, unit_index = shapely.STRtree(shapes).query(point_geoms, predicate="intersects")
    first = np.unique(point_index, return_index=True)[1]  # a point on a shared border counts once
    point_index, unit_index = point_index[first], unit_index[first]
    _, distance = shapely.STRtree(point_geoms).query_nearest(shapes, return_distance=True, all_matches=False)
    table = pd.DataFrame(
        {
            "v_jumlah_titik": np.bincount(unit_index, minlength=len(shapes)),
            "v_jarak_titik_km": distance / METRES_PER_KM,
        }
    )
    if attribute:
        values = attribute_values(layer, attribute)[feature_of]
        grouped = pd.Series(values[point_index]).groupby(unit_index)
        for column, statistic in (("v_rerata", "mean"), ("v_min", "min"), ("v_maks", "max")):
            table[column] = grouped.agg(statistic).reindex(range(len(shapes))).to_numpy()
        table["v_nilai"] = table["v_rerata"]
        table["v_nilai_asal"] = np.where(table["v_rerata"].notna(), MEASURED, "")
        if fill != "none":
            _fill(table, shapes, point_geoms, values, fill)
    return table


def _fill(table: pd.DataFrame, shapes: np.ndarray, points: np.ndarray, values: np.ndarray, fill: str) -> None:
    """Values for units without a measured one, from the valued points."""
    valued = ~np.isnan(values)
    missing = table["v_nilai"].isna().to_numpy()
    if not valued.any() or not missing.any():
        return
    points, values = points[valued], values[valued]
    if fill == "nearest":
        nearest = shapely.STRtree(points).query_nearest(shapes[missing], all_matches=False)[1]
        estimate = values[nearest]
    else:  # inverse distance from the unit's representative point to its nearest valued points
        from scipy.spatial import cKDTree  # here only: scipy takes 0.2 s to import, every overlay would pay it

        centre = shapely.get_coordinates(shapely.point_on_surface(shapes[missing]))
        tree = cKDTree(shapely.get_coordinates(points))
        k = min(IDW_NEIGHBOURS, len(points))
        distance, index = tree.query(centre, k=k)
        distance, index = distance.reshape(len(centre), k), index.reshape(len(centre), k)
        weights = 1 / np.maximum(distance, 1e-9) ** IDW_POWER
        estimate = (weights * values[index]).sum(axis=1) / weights.sum(axis=1)
    table.loc[missing, "v_nilai"] = estimate
    table.loc[missing, "v_nilai_asal"] = FILL_LABELS[fill]


def vector_overlay_layer(
    layers,
    level: str,
    layer: VectorLayer,
    *,
    attribute: str | None = None,
    classes: str | None = None,
    fill: str = "none",
) -> gpd.GeoDataFrame:
    """The batik layer of ``level`` with ``layer``'s statistics joined as ``v_`` columns."""
    units = layers.level(level)
    table = vector_statistics(units.geometry, layer, attribute=attribute, classes=classes, fill=fill)
    joined = units.copy()
    for column in table.columns:
        joined[column] = table[column].to_numpy()
    return joined


def vector_metadata(layer: VectorLayer, attribute: str | None, classes: str | None, fill: str) -> dict[str, str]:
    """Provenance of the ``v_`` columns, for exports."""
    method = {
        "polygon": "luas tertutup poligon (tumpang tindih dihitung sekali) dan bagiannya dari luas unit",
        "line": "panjang garis di dalam unit; jarak unit ke garis terdekat",
        "point": "jumlah titik di dalam unit; jarak unit ke titik terdekat",
    }[layer.kind]
    return {
        "vektor": layer.name,
        "vektor_format": layer.format,
        "vektor_crs_asal": layer.crs,
        "vektor_jenis": layer.kind,
        "vektor_fitur": str(len(layer.frame)),
        "vektor_diperbaiki": str(layer.repaired),
        "vektor_atribut": attribute or classes or "",
        "vektor_isian": FILL_LABELS[fill],
        "vektor_metode": f"{method}; dihitung tepat dalam {METRIC_CRS} (UTM 49S)",
    }
