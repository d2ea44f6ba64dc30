"""Faults: a tampered boundary cache or mirror is found at the next start, interrupted writes
leave no temporaries behind, and the file system's refusals are one clear line."""

import os
import shutil
import time

import pyogrio
import pytest

from atlas.atomic import STALE_AFTER_S, atomic_path, remove_stale_temporaries
from atlas.cli import main
from atlas.data import boundaries as bnd


@pytest.fixture
def own_cache(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_hand_edited_cache_is_rebuilt_from_the_verified_files(own_cache, caplog):
    built = bnd.load_boundaries(["33.75"])
    path = bnd.cache_path("33.75")
    desa = pyogrio.read_dataframe(path, layer="desa")
    desa.loc[desa["KDEPUM"] == "33.75.02.1004", "WADMKD"] = "Kauman (diubah)"  # hostile edit
    pyogrio.write_dataframe(desa, path, layer="desa", driver="GPKG")
    again = bnd.load_boundaries(["33.75"])
    assert "was changed since it was built" in caplog.text
    assert again.desa.set_index("KDEPUM").loc["33.75.02.1004", "WADMKD"] == "Kauman"
    assert again.desa["KDEPUM"].tolist() == built.desa["KDEPUM"].tolist()


def test_a_tampered_mirror_is_found_even_with_a_cache(own_cache, mirror, tmp_path, monkeypatch, capsys):
    assert main(["prepare", "--region", "kota"]) == 0
    copy = tmp_path / "mirror"
    shutil.copytree(mirror, copy)
    village_file = copy / "db" / "kel" / "33" / "wilayah_boundaries_kel_33.75.sql"
    village_file.write_text(village_file.read_text(encoding="utf-8").replace("Kauman", "Kaumen"), encoding="utf-8")
    monkeypatch.setenv("ATLAS_DATA_MIRROR", str(copy))
    assert main(["prepare", "--region", "kota"]) == 1
    assert "does not match the pinned upstream file" in capsys.readouterr().err


def test_stale_temporaries_of_killed_writes_are_removed(tmp_path):
    old = tmp_path / ".counts_2024.0123abcd.tmp.csv"
    fresh = tmp_path / ".counts_2024.89abcdef.tmp.csv"
    kept = tmp_path / ".hidden_but_not_ours"
    for path in (old, fresh, kept):
        path.write_text("half written")
    past = time.time() - STALE_AFTER_S - 60
    os.utime(old, (past, past))
    os.utime(kept, (past, past))
    assert remove_stale_temporaries(tmp_path) == [old]
    assert fresh.exists() and kept.exists()
    with atomic_path(tmp_path / "counts_2024.csv") as tmp:  # a new write of the same target
        tmp.write_text("done")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".counts_2024.89abcdef.tmp.csv", ".hidden_but_not_ours", "counts_2024.csv"]
    )


def test_a_read_only_folder_is_one_clear_line(mirror, tmp_path, capsys):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders; the directory case below covers OSError")
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    assert main(["export", "--region", "kota", "--out", str(folder / "x.geojson")]) == 1


def test_an_output_under_an_existing_file_is_one_clear_line(mirror, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    assert main(["export", "--region", "kota", "--out", str(blocker / "x.geojson")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("Not a directory" in err or "File exists" in err) and "Traceback" not in err
    assert main(["figures", "--lang", "id", "--out", str(blocker)]) == 1
