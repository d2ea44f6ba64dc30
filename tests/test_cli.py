"""The ``atlas`` command line, run in-process."""

import pyogrio

from atlas.cli import main


def test_export_writes_312_villages(mirror, tmp_path, capsys):
    out = tmp_path / "desa.geojson"
    assert main(["export", "--level", "desa", "--region", "all", "--format", "geojson", "--out", str(out)]) == 0
    assert "wrote 312 desa features" in capsys.readouterr().out
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
