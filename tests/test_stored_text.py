"""One rule for every stored text (issue 30, point 2): whatever the importer accepts, every later
command reads; what it cannot read is refused at import with the reason. Every file and count here
is synthetic test data written by the test."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.analysis.layers import build_layers
from atlas.cli import main
from atlas.data.datasets import list_datasets, scan_datasets
from atlas.data.values import MAX_COUNT
from atlas.errors import ImportRejected, VersionExistsError
from atlas.intake.directory import import_directory
from atlas.intake.importer import import_counts
from tests.conftest import write_text

KAUMAN = "33.75.02.1004"  # Kelurahan Kauman, Kota Pekalongan


def stored_files(folder):
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}


@pytest.mark.parametrize(
    "name",
    [
        "Kauman\nKraton",
        "Kau\u2028man",
        "Kau\x00man",
        "Kauman" + "n" * 900,
        "\u202eKauman",  # a right-to-left override: the name would read as another
        "Kauman\u2066",
    ],
    ids=["line break", "line separator", "NUL", "906 characters", "bidi override", "bidi isolate"],
)
def test_a_name_beside_a_code_obeys_the_text_rule(mirror, datasets, tmp_path, name):
    write_text(tmp_path / "ok.csv", f"kode;pelaku_usaha;pekerja\n{KAUMAN};1;2\n")
    import_counts(tmp_path / "ok.csv", 2020, "earlier (synthetic test)")
    before = stored_files(datasets)
    path = tmp_path / "named.csv"
    path.write_text(f'kode;nama;pelaku_usaha;pekerja\n{KAUMAN};"{name}";3;4\n', encoding="utf-8")
    with pytest.raises(ImportRejected, match="column WADMKD: .* (character|longer)"):
        import_counts(path, 2021, "names beside codes (synthetic test)")
    assert stored_files(datasets) == before


@pytest.mark.parametrize("source", ["Survei\u202e 2024", "Survei\n2024", "S" * 201])
def test_a_source_obeys_the_text_rule(mirror, datasets, tmp_path, source):
    path = write_text(tmp_path / "ok.csv", f"kode;pelaku_usaha;pekerja\n{KAUMAN};1;2\n")
    with pytest.raises(ImportRejected, match="--source"):
        import_counts(path, 2021, source)
    assert stored_files(datasets) == {}


def test_two_spellings_of_one_source_are_one_version(mirror, datasets, tmp_path):
    path = write_text(tmp_path / "ok.csv", f"kode;pelaku_usaha;pekerja\n{KAUMAN};1;2\n")
    decomposed = unicodedata.normalize("NFD", "Survei Café  2024 (synthetic test)")
    first = import_counts(path, 2024, decomposed + " ")
    assert first.source == "Survei Café 2024 (synthetic test)"
    for spelling in ("Survei Café 2024 (synthetic test)", "  Survei Café 2024   (synthetic test)"):
        with pytest.raises(VersionExistsError):
            import_counts(path, 2024, spelling)
    assert [d.source for d in list_datasets() if d.year == 2024] == ["Survei Café 2024 (synthetic test)"]


def test_a_kecamatan_table_and_a_desa_table_of_one_year_and_source_clash(mirror, datasets, tmp_path):
    desa = write_text(tmp_path / "desa.csv", f"kode;pelaku_usaha;pekerja\n{KAUMAN};1;2\n")
    kecamatan = write_text(tmp_path / "kec.csv", "kecamatan;pelaku_usaha;pekerja\nPekalongan Barat;12;340\n")
    import_counts(desa, 2023, "Dinas (synthetic test)")
    before = stored_files(datasets)
    with pytest.raises(VersionExistsError, match="cannot be told apart"):
        import_counts(kecamatan, 2023, "Dinas (synthetic test)", region="kota")
    # the other way round too, and --replace does not make it possible
    with pytest.raises(VersionExistsError, match="cannot be told apart"):
        import_counts(kecamatan, 2023, "Dinas (synthetic test)", region="kota", replace=True)
    assert stored_files(datasets) == before
    import_counts(kecamatan, 2022, "Dinas (synthetic test)", region="kota")
    with pytest.raises(VersionExistsError, match="kecamatan table for 2022"):
        import_counts(desa, 2022, "Dinas (synthetic test)")


def test_directory_sums_over_the_count_limit_are_refused(mirror, datasets, tmp_path):
    """Each row is within the limit; the desa's sum of workers is not (hand-worked: 2 x 6,000,000)."""
    per_row = MAX_COUNT * 6 // 10
    path = write_text(
        tmp_path / "direktori.csv",
        f"Nama Usaha;Desa;Kecamatan;Tenaga Kerja\nA;Kauman;Pekalongan Timur;{per_row}\nB;Kauman;Pekalongan Timur;{per_row}\n",
    )
    with pytest.raises(ImportRejected, match=f"column pekerja: '{KAUMAN}: {2 * per_row}' is over"):
        import_directory(path, 2024, "Direktori (synthetic test)", region="kota", accept=True)
    assert stored_files(datasets) == {}


# A source of any kind (printable or not, long or short), and the name of the coded unit with any
# non-letters around it (spaces, punctuation, controls, direction marks: it still names the unit).
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters=';"\r'), max_size=220)
AFFIX = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("L", "N"), exclude_characters=';"\r'), max_size=120
)
NAMES = st.tuples(AFFIX, AFFIX).map(lambda affixes: f"{affixes[0]}Kauman{affixes[1]}")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, source=ANY_TEXT)
def test_whatever_the_importer_accepts_every_later_command_reads(mirror, datasets, tmp_path, name, source):
    """Property: an accepted import can be listed, shown as a layer and exported; a refused one
    stored nothing."""
    path = tmp_path / "generated.csv"
    path.write_text(f'kode;nama;pelaku_usaha;pekerja\n{KAUMAN};"{name}";3;4\n', encoding="utf-8")
    before = stored_files(datasets)
    try:
        result = import_counts(path, 2030, source, replace=True)
    except (ImportRejected, VersionExistsError):
        assert stored_files(datasets) == before
        return
    found, damaged = scan_datasets()
    assert damaged == [] and any(d.key == result.key for d in found)
    layers = build_layers("kota", year=2030, source=result.source)
    assert layers.desa.set_index("KDEPUM").loc[KAUMAN, "pekerja"] == 4
    out = tmp_path / "out.geojson"
    assert main(["export", "--year", "2030", f"--source={result.source}", "--force", "--out", str(out)]) == 0
