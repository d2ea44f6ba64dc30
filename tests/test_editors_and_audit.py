"""Editors (hashed passwords, rate-limited sign-in) and the append-only audit trail."""

import hashlib
import io
import json
import stat

import pytest

from atlas.cli import main
from atlas.data.store import open_store
from atlas.errors import ImportRejected, OptionError
from atlas.intake import editors, sign_in
from atlas.intake.importer import import_counts
from tests.conftest import write_text


@pytest.fixture
def editors_file(tmp_path, monkeypatch):
    path = tmp_path / "editors.json"
    monkeypatch.setenv("ATLAS_EDITORS_FILE", str(path))
    return path


def test_passwords_are_stored_hashed_and_checked(editors_file):
    editors.add_editor("bappeda", "kata-sandi-uji-123")
    stored = json.loads(editors_file.read_text())["editors"]["bappeda"]
    assert "kata-sandi-uji-123" not in editors_file.read_text() and stored.startswith("scrypt$")
    assert stat.S_IMODE(editors_file.stat().st_mode) == 0o600
    assert editors.check_sign_in("bappeda", "kata-sandi-uji-123")
    assert not editors.check_sign_in("bappeda", "kata-sandi-uji-124")
    assert not editors.check_sign_in("tamu", "kata-sandi-uji-123")
    # two hashes of one password differ (random salt)
    assert editors.hash_password("x" * 12) != editors.hash_password("x" * 12)


def test_short_passwords_and_odd_names_are_refused(editors_file):
    with pytest.raises(OptionError, match="at least 10 characters"):
        editors.add_editor("bappeda", "pendek")
    with pytest.raises(OptionError, match="not an editor name"):
        editors.add_editor("a b\n", "kata-sandi-uji-123")


def test_failed_sign_ins_slow_the_client_down_with_growing_waits():
    limiter = sign_in.SignInLimiter()
    now, waits = 1000.0, []
    for _ in range(sign_in.FREE_FAILURES + 6):
        wait = limiter.wait_for("10.0.0.9", "bappeda", now)
        waits.append(wait)
        now += wait  # the attacker waits exactly as long as asked, then fails again
        limiter.failed("10.0.0.9", "bappeda", now)
    # hand-worked: free attempts, then 2 s doubling (the name's 5 s cap is below the client's)
    assert waits == [0, 0, 0, 0, 2, 4, 8, 16, 32]
    assert limiter.wait_for("10.0.0.9", "orang-lain", now) == 64  # other names from that client too
    assert limiter.wait_for("10.0.0.9", "bappeda", now + sign_in.FORGET_AFTER_S + 1) == 0


def test_guesses_from_elsewhere_never_lock_the_real_editor_out():
    limiter = sign_in.SignInLimiter()
    for attacker in range(200):  # many clients, one name
        for _ in range(sign_in.FREE_FAILURES + 3):
            limiter.failed(f"10.1.{attacker // 250}.{attacker % 250}", "bappeda", 5000.0)
    assert 0 < limiter.wait_for("192.168.1.20", "bappeda", 5000.0) <= sign_in.NAME_MAX_WAIT_S
    limiter.succeeded("192.168.1.20", "bappeda")  # the editor gets in; the name starts afresh
    assert limiter.wait_for("192.168.1.21", "bappeda", 5000.0) == 0


def test_the_sign_in_table_is_bounded():
    limiter = sign_in.SignInLimiter()
    for n in range(sign_in.MAX_ENTRIES + 500):
        limiter.failed("10.0.0.1", f"nama-{n}-" + "x" * 500, float(n))
    assert len(limiter.entries) <= sign_in.MAX_ENTRIES
    assert all(len(key[1]) <= sign_in.MAX_KEY_CHARS for key in limiter.entries)
    assert limiter.wait_for("10.0.0.1", "siapa-saja", float(sign_in.MAX_ENTRIES + 500)) > 0  # still slowed


def test_cli_adds_lists_and_removes_editors(editors_file, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("kata-sandi-uji-123\n"))
    assert main(["editors", "add", "bappeda", "--password-stdin"]) == 0
    assert main(["editors", "list"]) == 0
    assert "bappeda" in capsys.readouterr().out
    assert main(["editors", "remove", "bappeda"]) == 0
    assert editors.load_editors() == {}
    assert main(["editors", "remove", "bappeda"]) == 2


def test_every_import_and_replacement_is_audited(mirror, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    counts = write_text(tmp_path / "hitungan.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;12;34\n")
    import_counts(counts, 2024, "Survei (synthetic test)", region="kota", editor="bappeda")
    import_counts(counts, 2024, "Survei (synthetic test)", region="kota", editor="bappeda2", replace=True)
    first, second = open_store().audit_records()
    assert (first.editor, first.tindakan, second.editor, second.tindakan) == (
        "bappeda",
        "import",
        "bappeda2",
        "replace",
    )
    assert first.sha256 == hashlib.sha256(counts.read_bytes()).hexdigest()
    assert (first.baris, first.unit, first.tahun, first.berkas) == (1, 1, 2024, "hitungan.csv")
    lines_before = (tmp_path / "datasets" / "audit.jsonl").read_text().splitlines()
    with pytest.raises(ImportRejected):
        import_counts(
            write_text(tmp_path / "rusak.csv", "kode;pelaku_usaha;pekerja\nx;1;1\n"), 2025, "s", region="kota"
        )
    assert (
        tmp_path / "datasets" / "audit.jsonl"
    ).read_text().splitlines() == lines_before  # a refused file is not a change
    assert main(["audit"]) == 0
    assert "bappeda2\treplace\t2024: Survei (synthetic test)" in capsys.readouterr().out


def test_an_older_hash_is_upgraded_at_the_next_sign_in(editors_file, tmp_path, monkeypatch):
    import base64
    import hashlib as hashing

    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    salt = b"0123456789abcdef"
    old_digest = hashing.scrypt(b"kata-sandi-lama-1", salt=salt, n=2**14, r=8, p=1)
    old = f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(old_digest).decode()}"
    open_store().save_editors({"bappeda": old})
    assert not editors.check_sign_in("bappeda", "salah-kata-sandi")
    assert open_store().editors()["bappeda"] == old  # a wrong password changes nothing
    assert editors.check_sign_in("bappeda", "kata-sandi-lama-1")
    upgraded = open_store().editors()["bappeda"]
    assert upgraded.startswith(f"scrypt${2**17}$8$1$") and editors.check_sign_in("bappeda", "kata-sandi-lama-1")
    assert open_store().editors()["bappeda"] == upgraded  # upgraded once, not at every sign-in


def test_a_tampered_hash_asking_for_huge_work_is_refused_not_computed(editors_file):
    open_store().save_editors({"bappeda": "scrypt$1073741824$8$1$AAAA$AAAA"})
    assert not editors.check_sign_in("bappeda", "kata-sandi-uji-123")
