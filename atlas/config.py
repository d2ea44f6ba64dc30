"""Where the atlas finds its data and keeps its caches (overridable by environment)."""

from __future__ import annotations

import os
from pathlib import Path

from atlas.errors import UnknownRegionError

REPO_ROOT = Path(__file__).resolve().parent.parent
GEODATA_DIR = REPO_ROOT / "geodata"

#: Named regions of the atlas and the kab/kota codes they hold.
REGIONS: dict[str, tuple[str, ...]] = {
    "kota": ("33.75",),
    "kabupaten": ("33.26",),
    "all": ("33.75", "33.26"),
}

#: Province names by Kemendagri code (only Jawa Tengah is mirrored).
PROVINCES = {"33": "Jawa Tengah"}


def cache_dir() -> Path:
    """Folder for generated files (boundary cache, downloads); ``ATLAS_CACHE_DIR`` overrides."""
    return Path(os.environ.get("ATLAS_CACHE_DIR") or REPO_ROOT / ".cache")


def mirror_dir() -> Path | None:
    """Offline mirror of the upstream boundary repository, from ``ATLAS_DATA_MIRROR``."""
    value = os.environ.get("ATLAS_DATA_MIRROR")
    return Path(value) if value else None


def region_codes(region: str) -> tuple[str, ...]:
    """Kab/kota codes for a region name ('kota', 'kabupaten', 'all') or a code like '33.75'."""
    if region in REGIONS:
        return REGIONS[region]
    codes = tuple(c.strip() for c in region.split(",") if c.strip())
    if codes and all(_is_kabkota_code(c) for c in codes):
        return codes
    raise UnknownRegionError(
        f"unknown region {region!r}: use one of {', '.join(REGIONS)} "
        "or kab/kota codes such as '33.75' or '33.75,33.26'"
    )


def _is_kabkota_code(code: str) -> bool:
    parts = code.split(".")
    return len(parts) == 2 and all(len(p) == 2 and p.isdigit() for p in parts)
