"""ISO 19139 metadata records of the published layers, as a catalogue (PALAPA's pycsw, the
national catalogue) harvests them: written by pygeometa from an MCF built here.

Each record is in Bahasa Indonesia with English beside it (PT_FreeText): title and abstract,
keywords (the atlas's, with the Kemendagri code list and, when configured, the KUGI theme
named as thesauri), the ISO topic category *economy*, the bounding box, the reference system
(EPSG:4326), the years of the data, the lineage (the sources registry, and each stored version's
file and SHA-256 from the audit trail), the licence, the contact and the distribution links (the
OGC API collection and the files), from configuration (``atlas.io.publication``). The elements
SNI 8843-1 asks for of a dataset are all filled; the record's standard name is the ISO 19115:2003
that its XML encoding (ISO/TS 19139) carries.
"""

from __future__ import annotations

from dataclasses import dataclass

from pygeometa.schemas.iso19139 import ISO19139OutputSchema

from atlas import __version__
from atlas.data.store import open_store
from atlas.data.store.base import now
from atlas.io.publication import CODE_LIST, LICENCE, Publisher, keywords, lineage

LANGUAGE, ALTERNATE = "ind", "eng"


@dataclass(frozen=True)
class Layer:
    """What a record describes: one published layer."""

    identifier: str
    title: tuple[str, str]  # (id, en)
    abstract: tuple[str, str]
    bounds: tuple[float, float, float, float]  # lon/lat
    years: tuple[int, ...]
    links: dict[str, tuple[str, str]]  # name -> (URL, protocol)


def iso19139(layer: Layer, publisher: Publisher) -> str:
    """The ISO 19139 XML record of ``layer``."""
    xml = ISO19139OutputSchema().write(mcf(layer, publisher))
    return xml.replace('id="locale-fr"', f'id="{ALTERNATE}"')  # the template's locale id, named for what it is


def mcf(layer: Layer, publisher: Publisher) -> dict:
    """The pygeometa MCF of ``layer``."""
    both = lambda pair: {LANGUAGE: pair[0], ALTERNATE: pair[1]}  # noqa: E731
    contact = {
        "organization": publisher.organisation,
        "email": publisher.email or None,
        "url": publisher.url,
        "country": "Indonesia",
    }
    themes = {
        "atlas": {
            "keywords": {LANGUAGE: keywords("id"), ALTERNATE: keywords("en")},
            "keywords_type": "theme",
        },
        "kemendagri": {
            "keywords": {LANGUAGE: ["kode wilayah Kemendagri"], ALTERNATE: ["Kemendagri area codes"]},
            "keywords_type": "place",
            "vocabulary": {"name": CODE_LIST},
        },
    }
    if publisher.kugi_theme:
        themes["kugi"] = {
            "keywords": {LANGUAGE: [publisher.kugi_theme], ALTERNATE: [publisher.kugi_theme]},
            "keywords_type": "theme",
            "vocabulary": {"name": "Katalog Unsur Geografi Indonesia (KUGI)"},
        }
    minx, miny, maxx, maxy = layer.bounds
    return {
        "mcf": {"version": "1.0"},
        "metadata": {
            "identifier": layer.identifier,
            "language": LANGUAGE,
            "language_alternate": ALTERNATE,
            "charset": "utf8",
            "hierarchylevel": "dataset",
            "datestamp": now(),
            "dataseturi": layer.links.get("ogcapi", (publisher.url, ""))[0],
        },
        "spatial": {"datatype": "vector", "geomtype": "surface"},
        "identification": {
            "language": LANGUAGE,
            "charset": "utf8",
            "title": both(layer.title),
            "abstract": both(layer.abstract),
            "edition": f"batik-atlas {__version__}",
            "dates": {"publication": now()[:10]},
            "keywords": themes,
            "topiccategory": ["economy"],
            "extents": {
                "spatial": [{"bbox": [round(minx, 6), round(miny, 6), round(maxx, 6), round(maxy, 6)], "crs": 4326}],
                "temporal": [{"begin": f"{min(layer.years)}-01-01", "end": f"{max(layer.years)}-12-31"}],
            },
            "fees": "None",
            "accessconstraints": "otherRestrictions",
            "rights": both((f"{LICENCE.name}. {LICENCE.attribution}", f"{LICENCE.name}. {LICENCE.attribution}")),
            "license": {"name": LICENCE.name, "url": LICENCE.url},
            "url": publisher.url,
            "status": "onGoing",
            "maintenancefrequency": "asNeeded",
        },
        "contact": {"pointOfContact": contact, "distributor": contact, "custodian": contact},
        "distribution": {
            name: {"url": url, "type": protocol, "name": name, "function": "download"}
            for name, (url, protocol) in layer.links.items()
        },
        "dataquality": {
            "scope": {"level": "dataset"},
            "lineage": {"statement": "; ".join(lineage() + imported_versions())},
        },
    }


def imported_versions() -> list[str]:
    """Each stored version's import: file, SHA-256, source and year, from the audit trail."""
    latest = {}
    for record in open_store().audit_records():
        if record.tindakan in ("import", "replace"):
            latest[record.versi] = record
    return [
        f"Impor / import {r.tahun} '{r.sumber}': berkas / file {r.berkas}, SHA-256 {r.sha256}" for r in latest.values()
    ]
