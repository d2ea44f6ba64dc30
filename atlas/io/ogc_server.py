"""Run pygeoapi over the atlas: write its configuration and OpenAPI document (into the cache
folder), then serve its Flask application with waitress. Read-only: pygeoapi's transactions
are off and the provider has no write methods."""

from __future__ import annotations

import json
import os
from pathlib import Path

from atlas import config
from atlas.atomic import atomic_path
from atlas.io.ogc_config import pygeoapi_config
from atlas.io.publication import Publisher


def prepare(host: str, port: int, url: str | None, region: str = "all") -> tuple[Path, Path]:
    """Write the pygeoapi configuration and OpenAPI document for a server on ``host:port``
    answering at ``url``; returns their paths (also set as ``PYGEOAPI_CONFIG`` / ``PYGEOAPI_OPENAPI``)."""
    from pygeoapi.openapi import get_oas

    public = url or config.publishing_setting("ATLAS_PUBLIC_URL") or f"http://{host}:{port}"
    settings = pygeoapi_config(public.rstrip("/"), host, port, Publisher.configured(public), region)
    folder = config.cache_dir() / "ogc"
    configuration, openapi = folder / f"pygeoapi-{port}.json", folder / f"openapi-{port}.json"
    for path, content in ((configuration, settings), (openapi, get_oas(settings))):
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps(content, ensure_ascii=False, default=str), encoding="utf-8")
    os.environ["PYGEOAPI_CONFIG"], os.environ["PYGEOAPI_OPENAPI"] = str(configuration), str(openapi)
    return configuration, openapi


def serve(host: str, port: int, url: str | None, region: str = "all", threads: int = 4) -> None:
    """Serve until interrupted."""
    import waitress

    prepare(host, port, url, region)
    from pygeoapi.flask_app import APP

    print(f"OGC API - Features at {url or f'http://{host}:{port}'} (Ctrl+C to stop)", flush=True)
    waitress.serve(APP, host=host, port=port, threads=threads, ident="batik-atlas")
