"""Uploads never outlive the session that sent them, and at start nothing is left that no running
process holds (issue 30, point 5). Files here are synthetic, written by the test."""

import gc
import os
import subprocess

from atlas.web.uploads import SessionFolder, remove_orphaned_uploads, upload_path


def ended_process_id() -> int:
    """The id of a process that has ended (a child started and waited for)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_session_folder_goes_with_its_session_state(tmp_path):
    state = {"_upload_folder": SessionFolder(tmp_path)}
    folder = state["_upload_folder"].path
    (folder / "elevasi.tif").write_bytes(b"synthetic upload")
    assert folder.is_dir() and folder.name.startswith(f"{os.getpid()}-")
    state.clear()  # what Streamlit does when the session ends
    gc.collect()
    assert not folder.exists()


def test_at_start_only_what_a_running_process_holds_is_kept(tmp_path):
    mine = SessionFolder(tmp_path)
    dead = tmp_path / f"{ended_process_id()}-session-x"
    dead.mkdir()
    (dead / "left.tif").write_bytes(b"synthetic upload of a killed server")
    old_style = tmp_path / "0123456789abcdef0123.tif"  # a digest-named upload of an earlier release
    old_style.write_bytes(b"synthetic")
    removed = remove_orphaned_uploads(tmp_path)
    assert sorted(removed) == sorted([dead, old_style])
    assert mine.path.is_dir() and not dead.exists() and not old_style.exists()


def test_a_read_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path))
    with upload_path(b"kode;pelaku_usaha;pekerja\n", "../../etc/hitungan.csv") as path:
        assert path.name == "hitungan.csv" and path.read_bytes().startswith(b"kode")
        assert path.parent.parent == tmp_path / "uploads"
    assert list((tmp_path / "uploads").iterdir()) == []
