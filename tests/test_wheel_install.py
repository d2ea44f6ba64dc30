"""The package as users install it: a wheel built from this checkout, installed into a fresh
virtual environment with the locked dependencies, run from outside the repository."""

import os
import shutil
import subprocess
import sys

import pyogrio
import pytest

from tests.conftest import REPO_ROOT


def uv() -> str:
    found = shutil.which("uv") or str(REPO_ROOT / ".tools" / "bin" / "uv")
    if not os.path.exists(found):
        pytest.fail("uv is installed by `make setup` into .tools/")
    return found


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv holding the wheel of this checkout and exactly the locked dependencies."""
    root = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("UV_PROJECT_ENVIRONMENT", None)
    run = lambda *args: subprocess.run(args, check=True, capture_output=True, text=True, env=env, cwd=root)
    source = _copy_of_the_checkout(root / "source")  # building writes build/ and *.egg-info beside the sources
    run(uv(), "build", "--out-dir", str(root / "dist"), str(source))  # an sdist, then the wheel from it
    requirements = root / "requirements.txt"
    run(
        uv(),
        "export",
        "--project",
        str(REPO_ROOT),
        "--frozen",
        "--no-emit-project",
        "--no-default-groups",
        "--no-hashes",
        "--output-file",
        str(requirements),
    )
    run(uv(), "venv", "--python", sys.executable, str(root / "venv"))
    wheel = next((root / "dist").glob("batik_atlas-*.whl"))
    run(uv(), "pip", "install", "--python", str(root / "venv" / "bin" / "python"), "-r", str(requirements), str(wheel))
    return root


def _copy_of_the_checkout(target):
    """The files git tracks or would track (committed or not), copied to ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    for name in listed:
        if (REPO_ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, target / name)
    return target


def atlas(installed, *args):
    env = {**os.environ, "ATLAS_CACHE_DIR": str(installed / "cache"), "ATLAS_DATASETS_DIR": str(installed / "data")}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(installed / "venv" / "bin" / "atlas"), *args], capture_output=True, text=True, env=env, cwd=installed
    )


def test_the_installed_package_is_not_the_checkout(installed, mirror):
    python = installed / "venv" / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import atlas.config as c; print(c.__file__); print(c.GEODATA_DIR)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed,
    ).stdout.split()
    assert all(str(installed / "venv") in path for path in where), where
    assert (installed / "venv").joinpath(where[1]).joinpath("tabel1_pel_batik_2017.csv").is_file()


def test_info_and_export_run_from_the_wheel(installed, mirror):
    info = atlas(installed, "info", "--region", "kota")
    assert info.returncode == 0, info.stderr
    assert "producers: 674, workers: 6,224" in info.stdout
    export = atlas(installed, "export", "--region", "kota", "--level", "kecamatan", "--out", "kec.geojson")
    assert export.returncode == 0, export.stderr
    assert len(pyogrio.read_dataframe(installed / "kec.geojson")) == 4
