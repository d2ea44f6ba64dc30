"""Shared-topology simplification and quantisation of layer geometry for the browser.

Simplifying each polygon on its own opens gaps between neighbours; simplifying the shared arcs
of a TopoJSON topology keeps borders joined. Quantised, delta-encoded arcs make the payload small.
"""

from __future__ import annotations

import json
from functools import lru_cache

import geopandas as gpd
import topojson

from atlas import config
from atlas.data.boundaries import load_boundaries
from atlas.fields import CODE_FIELD

SIMPLIFY_TOLERANCE_DEG = 0.0002  # about 22 m at Pekalongan's latitude
QUANTIZATION = 10_000  # grid of 1e4 x 1e4 cells over the extent: about 3 x 4 m for Pekalongan
OBJECT_NAME = "units"


def browser_topology(layer: gpd.GeoDataFrame, key: str) -> dict:
    """TopoJSON (as a dict) of ``layer``'s geometry, one geometry per row with ``id`` = ``key``."""
    frame = layer[[key, "geometry"]].to_crs("EPSG:4326").rename(columns={key: "id"})
    topo = topojson.Topology(
        frame,
        object_name=OBJECT_NAME,
        prequantize=QUANTIZATION,
        toposimplify=SIMPLIFY_TOLERANCE_DEG,
        topology=True,
    )
    data = json.loads(str(topo.to_json()))
    for geometry in data["objects"][OBJECT_NAME]["geometries"]:
        geometry["id"] = geometry.get("properties", {}).get("id", geometry.get("id"))
        geometry["properties"] = {}
    return data


@lru_cache(maxsize=16)
def region_topology(region: str, level: str) -> dict:
    """Browser topology of the boundaries of ``region`` at ``level`` (codes as ids); computed
    once per process (callers must not change it)."""
    layer = load_boundaries(config.region_codes(region)).level(level)
    return browser_topology(layer, CODE_FIELD[level])
