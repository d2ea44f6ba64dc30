"""Map libraries (Leaflet, topojson-client) from npm packages installed in ``static/node_modules``.

No CDN: the Streamlit app serves them with its static file serving (``/app/static/...``), and
standalone HTML maps carry them inline so that they open offline.
"""

from __future__ import annotations

from pathlib import Path

from atlas import config
from atlas.errors import AssetMissingError

APP_STATIC_URL = "/app/static/node_modules/"

LEAFLET_JS = "leaflet/dist/leaflet.js"
LEAFLET_CSS = "leaflet/dist/leaflet.css"
TOPOJSON_JS = "topojson-client/dist/topojson-client.min.js"


def node_modules() -> Path:
    """Where npm installed the map libraries (``config.static_dir()/node_modules``)."""
    return config.static_dir() / "node_modules"


def asset_path(relative: str) -> Path:
    """Installed file of an npm package; a clear error when the set-up has not run."""
    path = node_modules() / relative
    if not path.is_file():
        raise AssetMissingError(
            f"{path} is missing: the map libraries are installed from npm by the set-up "
            "(run `make setup`, or `npm install` in the static/ folder)"
        )
    return path


def served_url(relative: str) -> str:
    """URL of an asset under the Streamlit app's static file serving."""
    asset_path(relative)
    return APP_STATIC_URL + relative


def inline_tag(relative: str) -> str:
    """A ``<script>`` or ``<style>`` element holding the asset's text."""
    text = asset_path(relative).read_text(encoding="utf-8")
    if relative.endswith(".css"):
        return f"<style>\n{text}\n</style>"
    # a literal </script> inside the library would end the element early
    return "<script>\n" + text.replace("</script", "<\\/script") + "\n</script>"
