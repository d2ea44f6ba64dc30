"""The atlas as a pygeoapi feature provider: pygeoapi serves OGC API - Features (paging, bbox,
queryables, GeoJSON and HTML, standard error responses) and asks this provider for features.

The provider is read-only. Its ``data`` is a collection name of ``atlas.io.collections`` (and
``options.region`` the region it covers); the
frames come from the store as it is now, kept per store state by one ``Collections`` for this
server process (pygeoapi makes a provider per request), so an import shows on the next request.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import shapely
from pygeoapi.provider.base import BaseProvider, ProviderInvalidQueryError, ProviderItemNotFoundError
from pygeoapi.util import crs_transform

from atlas.io.collections import COLLECTIONS, Collections

#: this server process's frames, per store state (pygeoapi builds a provider per request)
FRAMES = Collections()
JSON_TYPES = {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}


class AtlasProvider(BaseProvider):
    """Features of one atlas collection."""

    def __init__(self, provider_def):
        super().__init__(provider_def)
        self._fields: dict[str, dict] = {}
        self.collection = COLLECTIONS[self.data]
        self.region = (self.options or {}).get("region", "all")
        self.id_field = self.collection.id_field
        self.get_fields()

    def get_fields(self) -> dict:
        if not self._fields:
            frame = FRAMES.frame(self.data, self.region)
            self._fields = {
                column: {"type": JSON_TYPES.get(frame[column].dtype.kind, "string")}
                for column in frame.columns
                if column != "geometry"
            }
        return self._fields

    @crs_transform
    def query(
        self,
        offset=0,
        limit=10,
        resulttype="results",
        bbox=None,
        datetime_=None,
        properties=None,
        sortby=None,
        select_properties=None,
        skip_geometry=False,
        q=None,
        **kwargs,
    ) -> dict:
        frame = FRAMES.frame(self.data, self.region)
        chosen = np.ones(len(frame), dtype=bool)
        for name, value in properties or []:
            chosen &= frame[name].astype(str).to_numpy() == str(value)
        if bbox:
            if len(bbox) != 4:
                raise ProviderInvalidQueryError("bbox needs 4 numbers: minx, miny, maxx, maxy")
            chosen &= shapely.intersects(frame.geometry.values, shapely.box(*bbox))
        matched = frame[chosen]
        for order in reversed(sortby or []):
            matched = matched.sort_values(order["property"], ascending=order["order"] == "+", kind="stable")
        page = matched.iloc[offset : offset + limit] if resulttype != "hits" else matched.iloc[0:0]
        features = [self._feature(row, select_properties, skip_geometry) for row in page.itertuples(index=False)]
        return {
            "type": "FeatureCollection",
            "features": features,
            "numberMatched": len(matched),
            "numberReturned": len(features),
        }

    @crs_transform
    def get(self, identifier, **kwargs) -> dict:
        frame = FRAMES.frame(self.data, self.region)
        found = frame[frame[self.id_field].astype(str) == str(identifier)]
        if found.empty:
            raise ProviderItemNotFoundError(f"no feature {identifier!r} in {self.data}")
        return self._feature(next(found.itertuples(index=False)), None, False)

    def _feature(self, row, select_properties, skip_geometry) -> dict:
        values = row._asdict()
        geometry = values.pop("geometry")
        wanted = set(select_properties or []) | set(self.properties or [])
        properties = {k: _plain(v) for k, v in values.items() if not wanted or k in wanted}
        return {
            "type": "Feature",
            "id": str(values[self.id_field]),
            "geometry": None if skip_geometry else json.loads(shapely.to_geojson(geometry)),
            "properties": properties,
        }


def _plain(value):
    """A value as JSON has it: numpy numbers as Python numbers, no data as null."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value
