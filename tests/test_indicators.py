"""Loading the indicator tables: the real files, and each kind of malformed input."""

import csv

import pytest

from atlas.data import indicators
from atlas.errors import IndicatorTableError
from tests.conftest import write_text

HEADER = "kode_kabkota,kecamatan,klaster,nama_di_sumber,pelaku_usaha,pekerja,tahun,sumber\n"
GOOD = "33.75,Pekalongan Timur,Kauman,Kauman,30,434,2017,Tabel 1\n"


def test_tabel1_has_13_clusters_and_the_published_totals():
    counts = indicators.load_counts()
    assert len(counts) == 13
    assert counts["pelaku_usaha"].sum() == 674
    assert counts["pekerja"].sum() == 6224
    assert set(counts["tahun"]) == {2017}
    assert counts["sumber"].str.contains("Tabel 1").all()


def test_index_is_the_line_number():
    counts = indicators.load_counts()
    with open(indicators.TABEL1_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kauman_line = next(i for i, r in enumerate(rows, start=2) if r["klaster"] == "Kauman")
    assert counts.loc[kauman_line, "pekerja"] == 434


def test_crosswalk_and_totals_load():
    crosswalk = indicators.load_crosswalk_table()
    assert crosswalk["kode"].nunique() == 27
    totals = indicators.load_totals()
    assert set(totals["kode"]) == {"33.75", "33.26"}


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "33.75,Pekalongan Timur,Kauman,Kauman,-30,434,2017,Tabel 1\n",
            r"line 2, column pelaku_usaha: '-30' is negative",
        ),
        (
            "33.75,Pekalongan Timur,Kauman,Kauman,30,banyak,2017,Tabel 1\n",
            r"line 2, column pekerja: 'banyak' is not a whole number",
        ),
        ("33.75,Pekalongan Timur,Kauman,Kauman,30.5,434,2017,Tabel 1\n", r"column pelaku_usaha: '30.5'"),
        ("33.75,Pekalongan Timur,Kauman,Kauman,30,434,17,Tabel 1\n", r"column tahun: '17' is not a four-digit year"),
        (
            "3375,Pekalongan Timur,Kauman,Kauman,30,434,2017,Tabel 1\n",
            r"column kode_kabkota: '3375' is not a kab/kota code",
        ),
        ("33.75,Pekalongan Timur,Kauman,Kauman,30,434,2017,\n", r"line 2, column sumber: empty value"),
        ("33.75,Pekalongan Timur,Kauman,Kauman,30,434\n", r"line 2: expected 8 fields"),
    ],
)
def test_bad_rows_are_named(tmp_path, row, message):
    path = write_text(tmp_path / "counts.csv", HEADER + row)
    with pytest.raises(IndicatorTableError, match=message):
        indicators.load_counts(path)


def test_duplicates_name_both_lines(tmp_path):
    path = write_text(tmp_path / "counts.csv", HEADER + GOOD + GOOD)
    with pytest.raises(IndicatorTableError, match=r"lines 2, 3: duplicate kode_kabkota/klaster/tahun"):
        indicators.load_counts(path)


def test_missing_column(tmp_path):
    path = write_text(tmp_path / "counts.csv", HEADER.replace(",pekerja", "") + "x\n")
    with pytest.raises(IndicatorTableError, match=r"missing column\(s\) pekerja"):
        indicators.load_counts(path)


def test_every_problem_is_listed(tmp_path):
    bad = GOOD.replace(",30,", ",-1,").replace(",434,", ",x,")
    path = write_text(tmp_path / "counts.csv", HEADER + bad)
    with pytest.raises(IndicatorTableError) as caught:
        indicators.load_counts(path)
    assert "pelaku_usaha" in str(caught.value) and "pekerja" in str(caught.value)


def test_unclosed_quote_is_malformed(tmp_path):
    path = write_text(tmp_path / "counts.csv", HEADER + '33.75,"Pekalongan Timur,Kauman,Kauman,30,434,2017,T\n')
    with pytest.raises(IndicatorTableError, match="malformed CSV|expected 8 fields"):
        indicators.load_counts(path)


def test_not_utf8(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_bytes((HEADER + GOOD.replace("Kauman,Kauman", "Kaum\xe1n,Kauman")).encode("latin-1"))
    with pytest.raises(IndicatorTableError, match="not UTF-8"):
        indicators.load_counts(path)


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(IndicatorTableError, match="no data rows"):
        indicators.load_counts(write_text(tmp_path / "counts.csv", HEADER))
    with pytest.raises(IndicatorTableError, match="file not found"):
        indicators.load_counts(tmp_path / "nope.csv")


def test_bom_and_spaces_are_accepted(tmp_path):
    path = write_text(tmp_path / "counts.csv", "\ufeff" + HEADER + GOOD.replace(",30,", ", 30 ,"))
    assert indicators.load_counts(path)["pelaku_usaha"].tolist() == [30]


def test_bad_choice(tmp_path):
    text = "kode,kelurahan,kelurahan_lama,keyakinan,sumber,tahun\n33.75.02.1004,Kauman,Kauman,sure,x,2015\n"
    with pytest.raises(IndicatorTableError, match="'sure' is not one of stated"):
        indicators.load_crosswalk_table(write_text(tmp_path / "cw.csv", text))
