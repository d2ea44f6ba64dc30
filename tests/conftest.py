"""Shared fixtures. Real boundary data comes from the mirror named by ATLAS_DATA_MIRROR
(set by the Makefile and .ci/run; ../shared/geodata/wilayah_boundaries when run by hand)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.listener import listener  # noqa: F401 (the fixture every hostile-file test uses)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MIRROR = REPO_ROOT.parent / "shared" / "geodata" / "wilayah_boundaries"
if not os.environ.get("ATLAS_DATA_MIRROR") and DEFAULT_MIRROR.is_dir():
    os.environ["ATLAS_DATA_MIRROR"] = str(DEFAULT_MIRROR)


#: what makes a test slow: a browser, a server or cluster of its own, a wheel build (``make check``
#: leaves these out; ``make test`` and CI run everything)
SLOW_FIXTURES = {"browser", "page", "app_url", "postgres_cluster", "database_url", "ogc_server", "cluster"}
SLOW_MODULES = {
    "test_aggregate_geometry",  # all of Jawa Tengah
    "test_figures",
    "test_integrity",  # boundary caches rebuilt
    "test_no_tracebacks",  # commands as processes
    "test_ogc_api",
    "test_overlay_dask",
    "test_postgis_layers",
    "test_publishing",
    "test_wheel_install",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        slow = (
            SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
            or module in SLOW_MODULES
            or "[postgres" in item.nodeid
            or "/browser/" in item.nodeid
        )
        if slow:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """Every test session builds its own boundary cache (so the cold path is exercised) and
    keeps imported datasets in its own folder."""
    folders = {
        "ATLAS_CACHE_DIR": tmp_path_factory.mktemp("atlas-cache"),
        "ATLAS_DATASETS_DIR": tmp_path_factory.mktemp("atlas-datasets"),
    }
    previous = {name: os.environ.get(name) for name in folders}
    os.environ.update({name: str(path) for name, path in folders.items()})
    yield folders
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def datasets(tmp_path, monkeypatch) -> Path:
    """An empty datasets folder (the embedded store) for this test."""
    folder = tmp_path / "datasets"
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The offline mirror of the pinned upstream files."""
    path = os.environ.get("ATLAS_DATA_MIRROR")
    if not path or not Path(path).is_dir():
        pytest.fail(
            "ATLAS_DATA_MIRROR must name the offline mirror of the boundary files "
            "(make test sets it to ../shared/geodata/wilayah_boundaries)"
        )
    return Path(path)


@pytest.fixture(scope="session")
def layers_all(mirror):
    """Layers of Kota and Kabupaten Pekalongan from the real data."""
    from atlas.analysis.layers import build_layers

    return build_layers("all")


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a small inline fixture file and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


def write_geotiff(path: Path, data, bounds, crs: str = "EPSG:4326") -> Path:
    """A GeoTIFF of ``data`` (rows x columns) covering ``bounds`` (minx, miny, maxx, maxy) with a
    0.01 margin; synthetic test rasters only."""
    import rasterio
    from rasterio.transform import from_bounds

    minx, miny, maxx, maxy = bounds
    rows, cols = data.shape
    transform = from_bounds(minx - 0.01, miny - 0.01, maxx + 0.01, maxy + 0.01, cols, rows)
    with rasterio.open(
        path, "w", driver="GTiff", width=cols, height=rows, count=1, dtype=data.dtype, crs=crs, transform=transform
    ) as dst:
        dst.write(data, 1)
    return path


@pytest.fixture
def small_filesystem(tmp_path):
    """Make a folder on a tmpfs of the given size (``"8k"``, ``"2m"``), mounted for the test and
    unmounted after it: a disk that fills up. Skips where mounting is not allowed."""
    import subprocess

    mounted = []

    def make(size: str) -> Path:
        folder = tmp_path / f"disk-{len(mounted)}"
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
        mounted.append(folder)
        return folder

    yield make
    for folder in mounted:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL/PostGIS server for this test session (``tests/postgres.py``)."""
    from tests.postgres import Cluster

    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def database_url(postgres_cluster, monkeypatch):
    """A new database with the atlas schema; ``ATLAS_DATABASE_URL`` points at it for this test."""
    from atlas.data.store.postgres import migrate

    url = postgres_cluster.database()
    migrate(url, create=True)
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    return url
