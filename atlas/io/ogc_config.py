"""The pygeoapi configuration of ``atlas serve-ogc``: the server (bound to localhost unless told
otherwise), the service's metadata in both languages, the paging limits, and one collection per
layer of ``atlas.io.collections`` served by ``atlas.io.ogc_provider.AtlasProvider``."""

from __future__ import annotations

from atlas.analysis.layers import build_layers
from atlas.data.datasets import list_datasets
from atlas.io.collections import COLLECTIONS
from atlas.io.publication import LICENCE, Publisher, keywords

#: the most features one page may ask for; more is an OGC error (``InvalidParameterValue``)
MAX_ITEMS = 10_000
DEFAULT_ITEMS = 10
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def both(id_text, en_text) -> dict:
    """Text in the two languages pygeoapi chooses between (``?lang=`` or Accept-Language)."""
    return {"id": id_text, "en": en_text}


def pygeoapi_config(url: str, host: str, port: int, publisher: Publisher, region: str = "all") -> dict:
    """The whole configuration for a server answering at ``url``, listening on ``host:port``."""
    bounds = [round(float(v), 6) for v in build_layers(region).desa.to_crs("EPSG:4326").total_bounds]
    years = sorted({d.year for d in list_datasets()})
    return {
        "server": {
            "bind": {"host": host, "port": port},
            "url": url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "gzip": False,
            "languages": ["id", "en"],
            "pretty_print": False,
            "limits": {"default_items": DEFAULT_ITEMS, "max_items": MAX_ITEMS, "on_exceed": "error"},
            "map": {"url": "", "attribution": ""},
            "admin": False,
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": both("Atlas Batik Pekalongan", "Batik Atlas of Pekalongan"),
                "description": both(
                    "Pelaku usaha dan pekerja batik per desa/kelurahan, kecamatan dan kab/kota di Kota dan "
                    "Kabupaten Pekalongan, dengan kode Kemendagri.",
                    "Batik producers and workers per village, district and regency/city of Kota and "
                    "Kabupaten Pekalongan, with Kemendagri codes.",
                ),
                "keywords": both(keywords("id"), keywords("en")),
                "keywords_type": "theme",
                "terms_of_service": LICENCE.url,
                "url": publisher.url,
            },
            "license": {"name": LICENCE.name, "url": LICENCE.url},
            "provider": {"name": publisher.organisation, "url": publisher.url},
            "contact": {
                "name": publisher.organisation,
                "email": publisher.email,
                "url": publisher.url,
                "role": "pointOfContact",
            },
        },
        "resources": {
            collection.name: {
                "type": "collection",
                "title": both(collection.title("id"), collection.title("en")),
                "description": both(collection.description("id"), collection.description("en")),
                "keywords": both(keywords("id"), keywords("en")),
                "extents": {
                    "spatial": {"bbox": bounds, "crs": CRS84},
                    "temporal": {"begin": f"{years[0]}-01-01T00:00:00Z", "end": f"{years[-1]}-12-31T23:59:59Z"},
                },
                "providers": [
                    {
                        "type": "feature",
                        "name": "atlas.io.ogc_provider.AtlasProvider",
                        "data": collection.name,
                        "id_field": collection.id_field,
                        "options": {"region": region},
                    }
                ],
            }
            for collection in COLLECTIONS.values()
        },
    }
