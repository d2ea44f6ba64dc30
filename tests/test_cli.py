"""The ``atlas`` command line, run in-process."""

import pyogrio
import pytest

from atlas.cli import main


def test_export_writes_312_villages(mirror, tmp_path, capsys):
    out = tmp_path / "desa.geojson"
    assert main(["export", "--level", "desa", "--region", "all", "--format", "geojson", "--out", str(out)]) == 0
    assert "wrote the counts layer (312 desa features" in capsys.readouterr().out
    assert len(pyogrio.read_dataframe(out)) == 312


def test_export_refuses_to_overwrite(mirror, tmp_path, capsys):
    out = tmp_path / "desa.geojson"
    out.write_text("keep me", encoding="utf-8")
    assert main(["export", "--region", "kota", "--out", str(out)]) == 2
    assert "exists; use --force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me"


def test_info_summarises_sums_and_published_totals(mirror, capsys):
    assert main(["info", "--region", "all"]) == 0
    text = capsys.readouterr().out
    assert "producers: 674, workers: 6,224" in text
    assert "tenaga kerja batik 9,944 (2016, Astuti 2016" in text
    assert "Kabupaten Pekalongan (33.26)" in text and "producers: no data" in text


def test_unknown_region_is_a_clear_error(capsys):
    assert main(["info", "--region", "jakarta"]) == 2
    assert "unknown region 'jakarta'" in capsys.readouterr().err


def test_prepare_reports_repaired_upstream_geometry(mirror, capsys):
    # Kabupaten Purworejo (33.06) has self-intersecting polygons upstream
    assert main(["prepare", "--region", "33.06"]) == 0
    out = capsys.readouterr().out
    assert "repaired the invalid upstream geometry of 33.06.08.2011 Jatingarang: Ring Self-intersection" in out


# Every subcommand given a bad argument: one line on stderr, exit 2 (usage) or 1 (data).
BAD_ARGUMENTS = [
    (["info", "--region", "atlantis"], 2, "unknown region"),
    (["prepare", "--region", "99.99"], 1, "not among the pinned upstream files"),
    (["export", "--level", "dusun", "--out", "x.geojson"], 2, "invalid choice: 'dusun'"),
    (["export", "--year", "1800", "--out", "{tmp}/x.geojson"], 2, "no dataset for year 1800"),
    (["template", "--region", "kota", "--out", "{tmp}/t.txt"], 2, "written as .xlsx or .csv"),
    (["import", "{tmp}/missing.csv", "--year", "2024", "--source", "s"], 1, "file not found"),
    (["datasets", "--bogus"], 2, "unrecognized arguments: --bogus"),
    (["overlay", "{tmp}/missing.tif", "--out", "{tmp}/o.gpkg"], 1, "not a readable raster"),
    (["overlay", "x.tif", "--band", "0", "--out", "o.gpkg"], 2, "0 is out of range"),
    (["figures", "--out", "{tmp}/f", "--lang", "fr"], 2, "invalid choice: 'fr'"),
    (["map", "--classes", "0", "--out", "{tmp}/m.html"], 2, "0 is out of range: use from 2 to 9"),
    (["map", "--classes", "-3", "--out", "{tmp}/m.html"], 2, "out of range"),
    (["map", "--classes", "100", "--out", "{tmp}/m.html"], 2, "out of range"),
    (["map", "--measure", "pekerja", "--out", "{tmp}/m.html"], 2, "not part of the production view"),
    (["dictionary", "--out", "{tmp}", "--force"], 1, "Is a directory"),
    (["export", "--format", "geojson", "--out", "{tmp}/x.csv"], 2, "is a csv name but --format is geojson"),
    (["export", "--out", "{tmp}/x.txt"], 1, "x.txt: use one of"),
    (["nosuchcommand"], 2, "invalid choice: 'nosuchcommand'"),
]


@pytest.mark.parametrize(
    "argv, code, message", BAD_ARGUMENTS, ids=lambda v: " ".join(v) if isinstance(v, list) else None
)
def test_bad_argument_is_one_line_and_an_exit_code(mirror, tmp_path, capsys, argv, code, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == code
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert message in lines[0] and "Traceback" not in captured.err
