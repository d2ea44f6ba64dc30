"""Pinned upstream boundary files: find them in a mirror or download them, and verify SHA-256.

The files are those of the public repository ``cahyadsn/wilayah_boundaries`` (MIT) at a pinned
commit. They are never part of this repository: they are read from the folder named by
``ATLAS_DATA_MIRROR`` (same layout as upstream) or downloaded into the cache folder.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from functools import lru_cache
from pathlib import Path

from atlas import config
from atlas.errors import ChecksumError, SourceUnavailableError

UPSTREAM_REPOSITORY = "cahyadsn/wilayah_boundaries"
UPSTREAM_COMMIT = "3c5a7960f4d227a38489094d84252bdbb3f978a5"
UPSTREAM_URL = f"https://raw.githubusercontent.com/{UPSTREAM_REPOSITORY}/{UPSTREAM_COMMIT}/{{path}}"
SUMS_FILE = config.GEODATA_DIR / "wilayah_boundaries.sha256"
DOWNLOAD_TIMEOUT_S = 60


def kabkota_file(province: str) -> str:
    """Upstream path of the kab/kota boundaries of a province (e.g. '33')."""
    return f"db/kab/wilayah_boundaries_kab_{province}.sql"


def kecamatan_file(province: str) -> str:
    """Upstream path of the kecamatan boundaries of a province."""
    return f"db/kec/wilayah_boundaries_kec_{province}.sql"


def village_file(kabkota: str) -> str:
    """Upstream path of the desa/kelurahan boundaries of a kab/kota (e.g. '33.75')."""
    return f"db/kel/{kabkota[:2]}/wilayah_boundaries_kel_{kabkota}.sql"


@lru_cache(maxsize=1)
def pinned_sums() -> dict[str, str]:
    """SHA-256 sums of the pinned upstream files, by upstream path."""
    sums = {}
    for line in SUMS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, path = line.split(maxsplit=1)
            sums[path.strip()] = digest.lower()
    return sums


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def expected_sum(path: str) -> str:
    """The pinned sum of an upstream path; an unknown path is a clear error."""
    try:
        return pinned_sums()[path]
    except KeyError:
        raise SourceUnavailableError(
            f"{path} is not among the pinned upstream files listed in {SUMS_FILE.name}; "
            "only Jawa Tengah (province 33) is pinned"
        ) from None


def verify(local: Path, path: str) -> Path:
    """Return ``local`` if its SHA-256 matches the pinned sum of ``path``, else raise."""
    want = expected_sum(path)
    got = sha256_of(local)
    if got != want:
        raise ChecksumError(
            f"{local} does not match the pinned upstream file {path}: SHA-256 {got}, "
            f"expected {want}. Replace it with the file from commit {UPSTREAM_COMMIT} "
            "(or delete it to download it again)."
        )
    return local


def obtain(path: str) -> Path:
    """Local, verified copy of an upstream file: from the mirror, the cache, or a download."""
    expected_sum(path)
    mirror = config.mirror_dir()
    if mirror is not None:
        candidate = mirror / path
        if not candidate.is_file():
            raise SourceUnavailableError(
                f"{path} is missing from the mirror ATLAS_DATA_MIRROR={mirror}; the mirror must "
                f"have the upstream layout (e.g. {mirror / village_file('33.75')})"
            )
        return verify(candidate, path)
    cached = config.cache_dir() / "upstream" / UPSTREAM_COMMIT / path
    if cached.is_file():
        return verify(cached, path)
    return _download(path, cached)


def _download(path: str, target: Path) -> Path:
    url = UPSTREAM_URL.format(path=path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as resp:
            for chunk in iter(lambda: resp.read(1 << 20), b""):
                out.write(chunk)
        verify(tmp, path)
        os.replace(tmp, target)
    except (urllib.error.URLError, OSError) as exc:
        raise SourceUnavailableError(
            f"cannot download {url} ({exc}). Without internet, point the atlas at an offline "
            "mirror of the upstream files: export ATLAS_DATA_MIRROR=/path/to/wilayah_boundaries "
            "(a folder holding db/kab, db/kec and db/kel as upstream; on the project machines "
            "it is ../shared/geodata/wilayah_boundaries)"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return target
