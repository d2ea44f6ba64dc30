"""Where the atlas finds its data and keeps its files, and the regions it knows.

Every setting the environment can change is read here, and only here:

- ``ATLAS_DATA_MIRROR``: an offline mirror of the pinned upstream boundary files (same layout as
  upstream: ``db/kab``, ``db/kec``, ``db/kel``); without it the files are downloaded and verified.
- ``ATLAS_CACHE_DIR``: generated files (boundary cache, downloads, uploaded rasters); default
  ``.cache/`` in a source checkout, else ``$XDG_CACHE_HOME/batik-atlas``.
- ``ATLAS_DATASETS_DIR``: imported dataset versions; default ``datasets/`` in a source checkout,
  else ``$XDG_DATA_HOME/batik-atlas/datasets``.
- ``ATLAS_EDITORS_FILE``: the editors who may import and replace data (name and scrypt hash of
  the password, written by ``atlas editors add``); default ``.atlas/editors.json`` in a source
  checkout, else ``$XDG_CONFIG_HOME/batik-atlas/editors.json``. Without it the app is read-only.
- ``ATLAS_DATABASE_URL``: ``postgresql://user@host/db`` puts the shared state (dataset versions,
  retired versions, latest-view exclusions, audit trail, editors, column profiles) in
  PostgreSQL/PostGIS instead of the datasets folder and the editors file; unset, the embedded
  store (that folder) is used.
- ``ATLAS_PUBLIC_URL``, ``ATLAS_CONTACT_ORGANISATION``, ``ATLAS_CONTACT_EMAIL``,
  ``ATLAS_KUGI_THEME``: what published metadata and services say of who publishes them and where
  (``atlas publish``, ``atlas serve-ogc``); see docs/publishing.md.
- ``ATLAS_STATIC_DIR``: the folder whose ``node_modules`` holds the map libraries installed from
  npm; default ``static/`` of the source checkout.
- ``ATLAS_DASK_SCHEDULER``: where the app runs raster overlays: ``local`` (a Dask cluster on this
  machine) or a scheduler address (``tcp://host:8786``); unset, in the server's own threads.

The hand-written tables of ``geodata/`` are package data (``atlas.geodata``), found through
``importlib.resources`` in an editable and in a wheel install alike.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from atlas.errors import UnknownRegionError

#: The source checkout holding this package, or None when installed from a wheel.
_PACKAGE_PARENT = Path(__file__).resolve().parent.parent
PROJECT_ROOT: Path | None = _PACKAGE_PARENT if (_PACKAGE_PARENT / "pyproject.toml").is_file() else None

GEODATA_DIR = Path(str(resources.files("atlas.geodata")))

#: Named regions of the atlas and the kab/kota codes they hold.
REGIONS: dict[str, tuple[str, ...]] = {
    "kota": ("33.75",),
    "kabupaten": ("33.26",),
    "all": ("33.75", "33.26"),
}
KOTA_PEKALONGAN, KABUPATEN_PEKALONGAN = "33.75", "33.26"

#: Province names by Kemendagri code (only Jawa Tengah is mirrored).
PROVINCES = {"33": "Jawa Tengah"}


def cache_dir() -> Path:
    """Folder for generated files (boundary cache, downloads); ``ATLAS_CACHE_DIR`` overrides."""
    return _folder("ATLAS_CACHE_DIR", ".cache", _xdg("XDG_CACHE_HOME", ".cache") / "batik-atlas")


def datasets_dir() -> Path:
    """Folder of imported dataset versions; ``ATLAS_DATASETS_DIR`` overrides."""
    return _folder("ATLAS_DATASETS_DIR", "datasets", _xdg("XDG_DATA_HOME", ".local/share") / "batik-atlas" / "datasets")


def editors_file() -> Path:
    """The editors file (never in the repository); ``ATLAS_EDITORS_FILE`` overrides."""
    return _folder(
        "ATLAS_EDITORS_FILE", ".atlas/editors.json", _xdg("XDG_CONFIG_HOME", ".config") / "batik-atlas" / "editors.json"
    )


def database_url() -> str | None:
    """The PostgreSQL database holding the shared state (``ATLAS_DATABASE_URL``), if any."""
    return os.environ.get("ATLAS_DATABASE_URL") or None


def publishing_setting(name: str, default: str = "") -> str:
    """One of the publishing settings (``ATLAS_PUBLIC_URL``, ``ATLAS_CONTACT_ORGANISATION``,
    ``ATLAS_CONTACT_EMAIL``, ``ATLAS_KUGI_THEME``)."""
    if name not in PUBLISHING_SETTINGS:
        raise KeyError(name)
    return os.environ.get(name) or default


PUBLISHING_SETTINGS = ("ATLAS_PUBLIC_URL", "ATLAS_CONTACT_ORGANISATION", "ATLAS_CONTACT_EMAIL", "ATLAS_KUGI_THEME")


def static_dir() -> Path:
    """Folder whose ``node_modules`` holds Leaflet and topojson-client; ``ATLAS_STATIC_DIR`` overrides."""
    return _folder("ATLAS_STATIC_DIR", "static", Path.cwd() / "static")


def dask_scheduler() -> str | None:
    """The Dask scheduler the app's raster overlays run on (``ATLAS_DASK_SCHEDULER``), if any."""
    return os.environ.get("ATLAS_DASK_SCHEDULER") or None


def mirror_dir() -> Path | None:
    """Offline mirror of the upstream boundary repository, from ``ATLAS_DATA_MIRROR``."""
    value = os.environ.get("ATLAS_DATA_MIRROR")
    return Path(value) if value else None


def region_codes(region: str) -> tuple[str, ...]:
    """Kab/kota codes for a region name ('kota', 'kabupaten', 'all'), a code like '33.75', or a
    comma-separated list of both; each kab/kota once, however often it is named ('all,33.75')."""
    parts = [part.strip() for part in region.split(",") if part.strip()]
    if parts and all(part in REGIONS or _is_kabkota_code(part) for part in parts):
        return tuple(dict.fromkeys(code for part in parts for code in REGIONS.get(part, (part,))))
    raise UnknownRegionError(
        f"unknown region {region!r}: use one of {', '.join(REGIONS)} or kab/kota codes such as '33.75' or '33.75,33.26'"
    )


def _folder(variable: str, in_checkout: str, elsewhere: Path) -> Path:
    value = os.environ.get(variable)
    if value:
        return Path(value)
    return PROJECT_ROOT / in_checkout if PROJECT_ROOT else elsewhere


def _xdg(variable: str, default: str) -> Path:
    return Path(os.environ.get(variable) or Path.home() / default)


def _is_kabkota_code(code: str) -> bool:
    parts = code.split(".")
    return len(parts) == 2 and all(len(p) == 2 and p.isdigit() for p in parts)
