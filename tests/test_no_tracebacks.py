"""Zero tracebacks (issue 30, point 3): every misuse and hostile case ends with one line on
stderr and a non-zero exit code; the technical detail of a fault of the atlas itself goes to the
fault log. The commands run as real processes, so what the interpreter prints at exit counts too.
Files written here are synthetic."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from atlas import config
from atlas.cli import FAULT_LOG, main

ATLAS = [sys.executable, "-m", "atlas"]


def run_atlas(*args: str) -> subprocess.CompletedProcess:
    """``atlas ARGS`` as its own process, with no terminal on its standard input."""
    return subprocess.run(
        [*ATLAS, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300, env=os.environ
    )


@pytest.fixture
def full_disk(small_filesystem):
    """A folder on a file system of 8 KB: an export fills it."""
    return small_filesystem("8k")


def one_line_error(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode != 0, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    errors = [line for line in lines if line.startswith("atlas") and "error" in line]
    assert len(errors) == 1, done.stderr
    return errors[0]


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "xlsx", "csv", "zip"])
def test_an_export_to_a_place_that_takes_no_files(mirror, fmt):
    line = one_line_error(run_atlas("export", "--region", "kota", "--out", f"/proc/peta.{fmt}"))
    assert "/proc/peta" in line


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "xlsx", "zip", "csv"])
def test_an_export_onto_a_full_disk(mirror, full_disk, fmt):
    out = full_disk / f"peta.{fmt}"
    line = one_line_error(run_atlas("export", "--region", "all", "--out", str(out)))
    assert str(out) in line
    assert [p.name for p in full_disk.iterdir()] == []  # nothing half-written under any name


def test_adding_an_editor_without_a_terminal():
    line = one_line_error(run_atlas("editors", "add", "ujicoba"))
    assert "--password-stdin" in line


def test_an_empty_csv_given_as_a_vector_file(mirror, tmp_path):
    empty = tmp_path / "kosong.csv"
    empty.write_text("")
    line = one_line_error(run_atlas("overlay", str(empty), "--region", "kota", "--out", str(tmp_path / "o.gpkg")))
    assert "kosong.csv" in line


def test_a_boundary_cache_changed_with_its_seal_is_rebuilt_not_a_traceback(mirror, tmp_path, monkeypatch):
    from atlas.data import boundaries

    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path / "cache"))
    boundaries.load_boundaries(("33.75",))
    path = boundaries.cache_path("33.75")
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4096)  # a damaged file ...
    boundaries._seal(path)  # ... whose seal was made to match
    done = run_atlas("info", "--region", "kota")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "cannot be read" in done.stderr and "rebuilding" in done.stderr


def test_a_fault_of_the_atlas_itself_is_one_line_and_logged(mirror, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path))

    def broken(*args, **kwargs):
        raise RuntimeError("a fault planted by the test\nsecond line")

    monkeypatch.setattr("atlas.cli.info.build_layers", broken)
    assert main(["info", "--region", "kota"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "unexpected fault (RuntimeError: a fault planted by the test)" in err
    log = (config.cache_dir() / FAULT_LOG).read_text()
    assert "Traceback" in log and "a fault planted by the test" in log and "atlas info --region kota" in log
