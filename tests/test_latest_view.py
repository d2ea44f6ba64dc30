"""The latest-count view: every unit shows its most recent reported count with that count's own
year and source, so a version covering a few units adds to the map and hides nothing."""

import pytest

from atlas.analysis.layers import build_layers
from atlas.cli import main
from atlas.data.datasets import LATEST, latest_dataset, list_datasets
from atlas.intake.importer import import_counts
from tests.conftest import write_text


@pytest.fixture
def versions(mirror, tmp_path, monkeypatch):
    """Tabel 1 (2017) plus two synthetic versions: 2024 with Kauman only, 2016 with Kergon only."""
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    kauman = write_text(tmp_path / "k2024.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;41;501\n")
    kergon = write_text(tmp_path / "k2016.csv", "kode;pelaku_usaha;pekerja\n33.75.03.1003;7;70\n")
    import_counts(kauman, 2024, "Survei 2024 (synthetic test)", region="kota")
    import_counts(kergon, 2016, "Survei 2016 (synthetic test)", region="kota")
    return list_datasets()


def test_each_unit_keeps_its_latest_value_with_its_year(versions):
    latest = build_layers("kota", dataset=latest_dataset(versions)).desa.set_index("KDEPUM")
    tabel1 = build_layers("kota", year=2017).desa.set_index("KDEPUM")
    assert (latest.loc["33.75.02.1004", ["pelaku_usaha", "pekerja", "tahun"]].tolist()) == [41, 501, 2024]
    assert latest.loc["33.75.03.1003", "tahun"] == 2016  # only 2016 has it: it shows, with 2016
    others = tabel1.index[tabel1["pekerja"].notna()].drop("33.75.02.1004")
    # every other unit keeps its 2017 count (computed from the 2017 layer independently)
    assert latest.loc[others, "pekerja"].tolist() == tabel1.loc[others, "pekerja"].tolist()
    assert set(latest.loc[others, "tahun"]) == {2017}
    assert latest["pekerja"].notna().sum() == tabel1["pekerja"].notna().sum() + 1


def test_the_latest_view_in_exports_says_the_years_are_mixed(versions, tmp_path):
    from atlas.io.export import export_metadata

    layers = build_layers("kota", dataset=latest_dataset(versions))
    assert layers.dataset.kind == LATEST
    assert export_metadata(layers)["tahun_data"] == "per unit (kolom tahun): 2016, 2017, 2024"
    assert main(["info", "--region", "kota"]) == 0  # the command line still defaults to the newest version


def _latest_kauman(versions_now):
    return build_layers("kota", dataset=latest_dataset(versions_now)).desa.set_index("KDEPUM").loc["33.75.02.1004"]


def test_an_editor_keeps_a_version_out_of_the_latest_view_and_lets_it_back(versions, capsys):
    from atlas.data.store import open_store

    records = open_store().audit_records

    assert main(["datasets", "exclude", "--year", "2024", "--source", "Survei 2024 (synthetic test)"]) == 0
    tabel1_kauman = build_layers("kota", year=2017).desa.set_index("KDEPUM").loc["33.75.02.1004"]
    kept_out = _latest_kauman(list_datasets())
    assert (kept_out["pekerja"], kept_out["tahun"]) == (tabel1_kauman["pekerja"], 2017)
    # the version itself stays selectable
    assert [d.year for d in list_datasets() if not d.in_latest] == [2024]
    assert build_layers("kota", year=2024).desa.set_index("KDEPUM").loc["33.75.02.1004", "pekerja"] == 501
    assert main(["datasets", "include", "--year", "2024", "--source", "Survei 2024 (synthetic test)"]) == 0
    assert _latest_kauman(list_datasets())["pekerja"] == 501
    assert [r.tindakan for r in records()[-2:]] == ["exclude", "include"]


def test_a_retired_version_stays_on_disk_and_can_be_restored(versions, capsys):
    from atlas.data.datasets import retired_datasets
    from atlas.data.store import open_store

    records = open_store().audit_records
    folder = open_store().folder

    stored = next(d for d in versions if d.year == 2024)
    content = (folder / f"{stored.key}.csv").read_bytes()
    assert main(["datasets", "retire", "--year", "2024", "--source", stored.source, "--editor", "bappeda"]) == 0
    assert [d.year for d in list_datasets()] == [2016, 2017] and not (folder / f"{stored.key}.csv").exists()
    assert [(folder / "retired" / f"{d.key}.csv").read_bytes() for d in retired_datasets()] == [content]
    assert _latest_kauman(list_datasets())["tahun"] == 2017
    capsys.readouterr()
    assert main(["datasets"]) == 0 and "(retired)" in capsys.readouterr().out
    # restoring twice, or retiring what is not stored, is a clear error that changes nothing
    assert main(["datasets", "restore", "--year", "2024", "--source", stored.source]) == 0
    assert (folder / f"{stored.key}.csv").read_bytes() == content and retired_datasets() == []
    assert main(["datasets", "restore", "--year", "2024", "--source", stored.source]) == 2
    assert main(["datasets", "retire", "--year", "2017", "--source", "anything"]) == 2
    assert "needs --year and --source" in (main(["datasets", "retire"]), capsys.readouterr().err)[1]
    trail = records()[-2:]
    assert [(r.tindakan, r.editor, r.tahun) for r in trail] == [
        ("retire", "bappeda", 2024),
        ("restore", trail[1].editor, 2024),
    ]
    assert trail[0].sha256 == trail[1].sha256 and trail[0].unit == 1
