"""The store on both backends (the datasets folder, and PostgreSQL/PostGIS in a throwaway
cluster): one suite, parametrised. Every count file here is synthetic (made-up counts on the
real boundary codes); expected values are read back independently with pandas."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading

import pandas as pd
import pytest

from atlas.cli import main
from atlas.data.datasets import list_datasets, retired_datasets
from atlas.data.store import open_store
from atlas.errors import StoreSchemaError, StoreUnavailableError, StoreWriteError, VersionExistsError
from atlas.intake import editors
from atlas.intake.columns import load_profile, save_profile
from atlas.intake.importer import import_counts
from atlas.intake.versions import restore, retire, set_in_latest
from atlas.render.i18n import error_text
from tests.conftest import REPO_ROOT, write_text

SOURCE = "Survei (synthetic test)"
COUNTS = "kode;pelaku_usaha;pekerja\n33.75.02.1004;41;501\n33.75.01.1002;7;90\n33.75.01.1003;0;0\n"


@pytest.fixture(params=["folder", "postgres"])
def backend(request, mirror, tmp_path, monkeypatch):
    """Which store the test runs on; the other's settings are cleared."""
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    monkeypatch.setenv("ATLAS_EDITORS_FILE", str(tmp_path / "editors.json"))
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    if request.param == "postgres":
        request.getfixturevalue("database_url")
    return request.param


def test_an_import_is_stored_row_for_row_with_its_audit_record(backend, tmp_path):
    path = write_text(tmp_path / "hitungan.csv", COUNTS)
    before = open_store().signature()
    import_counts(path, 2024, SOURCE, region="kota", editor="bappeda")
    store = open_store()
    assert store.signature() != before
    (version,) = [v for v in store.versions()[0]]
    expected = pd.read_csv(path, sep=";", dtype={"kode": str})
    rows = store.rows(version)
    assert list(rows["KDEPUM"]) == list(expected["kode"])
    assert list(rows["pelaku_usaha"]) == list(expected["pelaku_usaha"])
    assert list(rows["pekerja"]) == list(expected["pekerja"])
    assert set(rows["tahun"]) == {2024} and set(rows["sumber"]) == {SOURCE}
    (record,) = store.audit_records()
    assert (record.editor, record.tindakan, record.baris, record.unit, record.versi) == (
        "bappeda",
        "import",
        3,
        3,
        version.key,
    )
    assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_replace_retire_restore_exclude_include_each_leave_one_audit_record(backend, tmp_path):
    path = write_text(tmp_path / "hitungan.csv", COUNTS)
    import_counts(path, 2024, SOURCE, region="kota", editor="a")
    with pytest.raises(VersionExistsError, match="already stored"):
        import_counts(path, 2024, SOURCE, region="kota", editor="b")
    import_counts(path, 2024, SOURCE, region="kota", editor="b", replace=True)
    set_in_latest(2024, SOURCE, include=False, editor="c")
    assert [d.in_latest for d in list_datasets() if d.year == 2024] == [False]
    set_in_latest(2024, SOURCE, include=True, editor="c")
    retire(2024, SOURCE, editor="d")
    assert [d.year for d in list_datasets()] == [2017] and [d.year for d in retired_datasets()] == [2024]
    restore(2024, SOURCE, editor="e")
    assert [d.year for d in list_datasets()] == [2017, 2024] and retired_datasets() == []
    trail = open_store().audit_records()
    assert [(r.tindakan, r.editor) for r in trail] == [
        ("import", "a"),
        ("replace", "b"),
        ("exclude", "c"),
        ("include", "c"),
        ("retire", "d"),
        ("restore", "e"),
    ]
    assert len({r.sha256 for r in trail[2:]}) == 1  # the stored rows, the same through every move


def test_two_editors_importing_the_same_version_at_once_one_wins(backend, tmp_path):
    path = write_text(tmp_path / "hitungan.csv", COUNTS)
    import_counts(path, 2023, "warm-up (synthetic test)", region="kota")  # boundaries loaded before the race
    start, outcomes = threading.Barrier(4), []

    def editor(number: int) -> None:
        start.wait()
        try:
            import_counts(path, 2024, SOURCE, region="kota", editor=f"editor{number}")
            outcomes.append("stored")
        except VersionExistsError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("stored") == 1, outcomes
    refused = [o for o in outcomes if o != "stored"]
    assert len(refused) == 3 and all("already stored" in str(e) for e in refused)
    assert error_text(refused[0], "id").startswith("Versi data dengan tahun dan sumber ini sudah tersimpan")
    assert error_text(refused[0], "en").startswith("A dataset version of this year and source is already stored")
    store = open_store()
    assert [v.year for v in store.versions()[0]].count(2024) == 1
    assert [r.tahun for r in store.audit_records()].count(2024) == 1


def test_editors_and_column_profiles_are_kept_by_the_store(backend):
    editors.add_editor("bappeda", "kata-sandi-uji-123")
    assert editors.check_sign_in("bappeda", "kata-sandi-uji-123")
    assert not editors.check_sign_in("bappeda", "salah-kata-sandi")
    assert "kata-sandi-uji-123" not in str(open_store().editors())
    save_profile("direktori", {"namadesa": "name", "jmltk": "workers"})
    assert load_profile("direktori") == {"namadesa": "name", "jmltk": "workers"}
    editors.remove_editor("bappeda")
    assert open_store().editors() == {}


KILLED_IMPORT = """
import os, signal, sys
from atlas.data.store import {module} as backend
from atlas.intake.importer import import_counts

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # the power cut: after the rows, before the audit record

backend.{hook} = killed
import_counts(sys.argv[1], 2024, {source!r}, region="kota", editor="bappeda")
"""
HOOKS = {"folder": ("files", "FolderStore._append_audit"), "postgres": ("postgres", "insert_audit")}


def test_an_import_killed_half_way_leaves_no_version_without_its_record(backend, tmp_path):
    path = write_text(tmp_path / "hitungan.csv", COUNTS)
    module, hook = HOOKS[backend]
    script = KILLED_IMPORT.format(module=module, hook=hook, source=SOURCE)
    killed = subprocess.run([sys.executable, "-c", script, str(path)], cwd=REPO_ROOT, capture_output=True, timeout=300)
    assert killed.returncode == -9, killed.stderr.decode()[-2000:]
    store = open_store()
    versions = [v.key for v in store.versions()[0]]
    audited = [r.versi for r in store.audit_records()]
    # all or nothing: PostgreSQL rolled the transaction back; the folder rolled the noted change forward
    assert versions == audited and len(versions) == (1 if backend == "folder" else 0)
    if versions:
        assert store.audit_records()[0].tindakan == "import"
    import_counts(path, 2025, SOURCE, region="kota")  # the store keeps working
    assert [r.tahun for r in open_store().audit_records()][-1] == 2025


def test_copy_from_a_folder_loses_nothing(mirror, tmp_path, monkeypatch, database_url, capsys):
    from tests.test_directory_import import MAPPING, write_csv

    folder = tmp_path / "datasets"
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(folder))
    monkeypatch.setenv("ATLAS_EDITORS_FILE", str(tmp_path / "editors.json"))
    monkeypatch.delenv("ATLAS_DATABASE_URL")
    counts = write_text(tmp_path / "hitungan.csv", COUNTS)
    import_counts(counts, 2022, SOURCE, region="kota", editor="a")
    import_counts(counts, 2024, SOURCE, region="kota", editor="b")
    kecamatan = write_text(tmp_path / "kec.csv", "kecamatan;pelaku_usaha;pekerja\nPekalongan Barat;12;340\n")
    import_counts(kecamatan, 2024, "Laporan kecamatan (synthetic test)", region="kota")
    directory = write_csv(tmp_path / "dir.csv", [{"Nama Desa": "Kauman", "Kec": "Pekalongan Timur", "Jml TK": 4}])
    assert main(["import-directory", str(directory), "--year", "2025", "--source", "Direktori (synthetic test)",
                 "--columns", MAPPING, "--accept", "--save-profile", "dir"]) == 0  # fmt: skip
    retire(2022, SOURCE, editor="c")
    set_in_latest(2024, SOURCE, include=False, editor="d")
    editors.add_editor("bappeda", "kata-sandi-uji-123")
    folder_store = open_store()
    monkeypatch.setenv("ATLAS_DATABASE_URL", database_url)
    assert main(["db", "copy-from", str(folder)]) == 0
    assert "copied into the database" in capsys.readouterr().out
    database = open_store()
    versions = sorted(folder_store.versions()[0], key=lambda v: v.key)
    assert sorted(database.versions()[0], key=lambda v: v.key) == versions and len(versions) == 4
    for version in versions:
        pd.testing.assert_frame_equal(database.rows(version), folder_store.rows(version))
        assert database.provenance(version) == folder_store.provenance(version)
    assert any(folder_store.provenance(v) for v in versions)
    assert database.audit_records() == folder_store.audit_records()
    assert database.editors() == folder_store.editors() and database.profiles() == folder_store.profiles()
    assert main(["db", "copy-from", str(folder)]) == 1  # never into a store that holds data


def test_an_unreachable_database_is_a_clear_error_in_both_languages(mirror, monkeypatch, capsys):
    monkeypatch.setenv("ATLAS_DATABASE_URL", "postgresql://atlas@127.0.0.1:9/tidak_ada")
    with pytest.raises(StoreUnavailableError, match="cannot be reached") as caught:
        open_store().versions()
    assert "Basis data atlas tidak dapat dihubungi" in error_text(caught.value, "id")
    assert "database cannot be reached" in error_text(caught.value, "en")
    assert main(["datasets"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("atlas: error: the database tidak_ada on 127.0.0.1:9 cannot be reached")
    assert error.count("\n") == 1 and "Traceback" not in error


def test_a_database_of_an_older_schema_is_refused_until_upgraded(mirror, postgres_cluster, monkeypatch, capsys):
    from atlas.data.store.postgres import migrate

    url = postgres_cluster.database()
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    with pytest.raises(StoreSchemaError, match="atlas db init"):
        open_store().versions()
    migrate(url, create=True, to=1)
    with pytest.raises(StoreSchemaError, match="atlas db upgrade"):
        open_store().versions()
    assert main(["db", "upgrade"]) == 0 and "schema version 1 -> 2" in capsys.readouterr().out
    assert open_store().versions() == ([], [])
    assert main(["db", "init"]) == 1  # never twice


def test_a_database_that_refuses_writes_changes_nothing(mirror, database_url, postgres_cluster, tmp_path):
    import psycopg

    path = write_text(tmp_path / "hitungan.csv", COUNTS)
    import_counts(path, 2023, SOURCE, region="kota")
    url = open_store().url
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_cluster.url("postgres"), autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
    before = (open_store().versions(), open_store().audit_records(), open_store().signature())
    with pytest.raises(StoreWriteError, match="refused the change") as caught:
        import_counts(path, 2024, SOURCE, region="kota")
    assert "Basis data menolak perubahan ini" in error_text(caught.value, "id")
    assert (open_store().versions(), open_store().audit_records(), open_store().signature()) == before


def test_a_damaged_provenance_file_is_read_as_none(mirror, tmp_path, monkeypatch):
    from atlas.data.datasets import survey_progress

    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    import_counts(write_text(tmp_path / "h.csv", COUNTS), 2024, SOURCE, region="kota")
    (version,) = open_store().versions()[0]
    write_text(tmp_path / "datasets" / "meta" / f"{version.key}.json", "{not json")  # synthetic damage
    assert open_store().provenance(version) is None and survey_progress() == []


def test_a_change_the_disk_has_no_room_for_is_refused_before_anything_is_written(
    mirror, small_filesystem, tmp_path, monkeypatch
):
    """The folder store on a 2 MB file system that a filler leaves half a megabyte of: the version
    would fit, its audit record might not; refused whole, then stored once there is room."""
    folder = small_filesystem("2m")
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(folder / "datasets"))
    (folder / "datasets").mkdir()
    filler = folder / "pengisi.bin"
    filler.write_bytes(b"\0" * (1536 * 1024))
    path = write_text(tmp_path / "satu.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;5;50\n")  # synthetic
    with pytest.raises(StoreWriteError, match="too little for this change"):
        import_counts(path, 2031, "Ruang disk (synthetic test)")
    assert sorted(p.name for p in (folder / "datasets").iterdir()) in ([], [".lock"])
    filler.unlink()
    import_counts(path, 2031, "Ruang disk (synthetic test)")
    assert [r.sumber for r in open_store().audit_records()] == ["Ruang disk (synthetic test)"]
