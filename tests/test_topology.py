"""The browser topology: decoded here independently of topojson-client, it keeps every unit,
their areas, and their shared borders (no gaps opened by simplification)."""

import numpy as np
import pytest
import shapely

from atlas.render.topology import OBJECT_NAME, browser_topology


def decode(topo):
    """Minimal TopoJSON decoder (quantised, delta-encoded arcs) written for this test."""
    scale, translate = np.array(topo["transform"]["scale"]), np.array(topo["transform"]["translate"])
    arcs = [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate for arc in topo["arcs"]]

    def ring(indices):
        points = []
        for index in indices:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    shapes = {}
    for geometry in topo["objects"][OBJECT_NAME]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes[geometry["id"]] = shapely.MultiPolygon(
            [shapely.Polygon(ring(p[0]), [ring(h) for h in p[1:]]) for p in polygons]
        )
    return shapes


@pytest.fixture(scope="module")
def decoded(layers_all):
    return decode(browser_topology(layers_all.desa, "KDEPUM"))


def test_every_unit_is_there(layers_all, decoded):
    assert sorted(decoded) == sorted(layers_all.desa["KDEPUM"])


def test_areas_are_kept(layers_all, decoded):
    for code, geometry in zip(layers_all.desa["KDEPUM"], layers_all.desa.geometry):
        assert decoded[code].area == pytest.approx(geometry.area, rel=0.05, abs=2e-6)


def test_neighbours_stay_joined(layers_all, decoded):
    geoms = layers_all.desa.set_index("KDEPUM").geometry
    tree = shapely.STRtree(geoms.values)
    left, right = tree.query(geoms.values, predicate="intersects")  # upstream neighbours touch or overlap slightly
    pairs = {(geoms.index[a], geoms.index[b]) for a, b in zip(left, right) if a < b}
    assert len(pairs) > 700
    for a, b in pairs:
        border = decoded[a].boundary.intersection(decoded[b].boundary)
        if geoms[a].boundary.intersection(geoms[b].boundary).length > 1e-4:  # a real shared border
            assert border.length > 0, f"{a} and {b} no longer share a border"
    # no gaps: the simplified units cover the same outline as the originals
    original = shapely.union_all(geoms.values)
    # simplified rings may touch themselves (the browser draws them all the same): union them valid
    simplified = shapely.union_all(shapely.make_valid(list(decoded.values())))
    assert simplified.symmetric_difference(original).area < 0.01 * original.area


def test_fewer_coordinates_than_the_source(layers_all):
    topo = browser_topology(layers_all.desa, "KDEPUM")
    assert sum(len(a) for a in topo["arcs"]) < 0.75 * shapely.get_num_coordinates(layers_all.desa.geometry.values).sum()
