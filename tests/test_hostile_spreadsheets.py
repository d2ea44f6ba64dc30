"""Hostile and damaged spreadsheets (all written here, labelled hostile): each is refused with a
clear message naming the file and cell, never a traceback, and the datasets folder is unchanged.
Timing and memory of the bombs are measured in benchmarks/bench_hostile.py, not here."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from atlas.cli import main
from atlas.data.datasets import scan_datasets
from atlas.errors import ImportRejected, SpreadsheetError
from atlas.intake.importer import import_counts
from tests.conftest import write_text

HEADER = ["KDEPUM", "pelaku_usaha", "pekerja"]


@pytest.fixture
def datasets(tmp_path, monkeypatch):
    folder = tmp_path / "datasets"
    folder.mkdir()
    (folder / "keep.txt").write_text("an earlier file that must stay as it is")
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(folder))
    return folder


def snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def workbook(path, rows, edit=None):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if edit:
        edit(sheet)
    book.save(path)
    return path


def rezip(path, change):
    """Rewrite one member of an .xlsx package with ``change(name, data) -> data``."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            target.writestr(info.filename, change(info.filename, data))
    path.write_bytes(buffer.getvalue())
    return path


def refused(path, datasets, match, source="hostile test file"):
    before = snapshot(datasets)
    with pytest.raises((ImportRejected, SpreadsheetError), match=match):
        import_counts(path, 2024, source, region="kota")
    assert snapshot(datasets) == before


def in_sheet(path, old: bytes, new: bytes):
    """Replace ``old`` by ``new`` in the sheet's XML (openpyxl writes strings inline)."""
    return rezip(path, lambda member, data: data.replace(old, new) if member == "xl/worksheets/sheet1.xml" else data)


def test_giant_text_cell_is_refused_before_parsing(mirror, datasets, tmp_path):
    path = workbook(tmp_path / "sel_raksasa.xlsx", [HEADER, ["33.75.02.1004", "teks", 1]])
    in_sheet(path, b"<t>teks</t>", b"<t>" + b"x" * 30_000_000 + b"</t>")  # compresses to about 30 KB
    refused(path, datasets, r"unpacks to \d+ MB, over the limit")


def test_long_cell_is_refused_with_its_place(mirror, datasets, tmp_path):
    path = workbook(tmp_path / "sel_panjang.xlsx", [HEADER, ["33.75.02.1004", "x" * 5_000, 1]])
    refused(path, datasets, "row 2, column 2 holds 5,000 characters")


def test_too_many_rows_and_columns(mirror, datasets, tmp_path):
    refused(workbook(tmp_path / "lebar.xlsx", [HEADER + ["x"] * 100]), datasets, "over the limit of 50,000 rows and 60")
    rows = "\n".join(["KDEPUM;pelaku_usaha;pekerja", *("33.75.02.1004;1;1" for _ in range(50_001))])
    refused(write_text(tmp_path / "panjang.csv", rows), datasets, "more than 50,000 rows")


def test_formula_without_a_saved_value_is_named(mirror, datasets, tmp_path):
    path = workbook(tmp_path / "rumus.xlsx", [HEADER, ["33.75.02.1004", "=1+1", 5]])
    refused(path, datasets, r"row 2, column pelaku_usaha: .*formula in cell B2 saved without its value")


def test_merged_count_cells_are_named(mirror, datasets, tmp_path):
    rows = [HEADER, ["33.75.02.1004", 3, 5], ["33.75.02.1001", None, 6]]
    path = workbook(tmp_path / "gabung.xlsx", rows, edit=lambda sheet: sheet.merge_cells("B2:B3"))
    refused(path, datasets, r"row 3, column pelaku_usaha: .*merged cells B2:B3")


@pytest.mark.parametrize(
    "value, reason",
    [
        (b"1E999", "not a finite number"),
        (b"NaN", "not a readable XLSX|not a finite number"),
        (b"inf", "not a readable XLSX|not a finite number"),
        (b"1e30", "over 10,000,000"),
        (b"abc", "not a readable XLSX|not a whole number"),
    ],
)
def test_non_numbers_in_numeric_cells(mirror, datasets, tmp_path, value, reason):
    path = workbook(tmp_path / "angka.xlsx", [HEADER, ["33.75.02.1004", 12345, 5]])
    refused(in_sheet(path, b"<v>12345</v>", b"<v>" + value + b"</v>"), datasets, reason)
    with pytest.raises((ImportRejected, SpreadsheetError)) as caught:  # never the server's path
        import_counts(path, 2024, "hostile test file", region="kota")
    assert str(tmp_path) not in str(caught.value)


def test_xml_attacks_are_blocked_and_reported(mirror, datasets, tmp_path):
    laughs = b'<!DOCTYPE worksheet [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><worksheet'
    xxe = b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet'
    for name, doctype, entity in (("laughs.xlsx", laughs, b"&lol2;"), ("xxe.xlsx", xxe, b"&e;")):
        path = workbook(tmp_path / name, [HEADER, ["33.75.02.1004", "teks", 5]])
        in_sheet(path, b"<worksheet", doctype)
        in_sheet(path, b"<t>teks</t>", b"<t>" + entity + b"</t>")
        refused(path, datasets, "not a readable XLSX workbook")


@pytest.mark.parametrize("damage", ["malformed", "flipped", "no_sheets", "bad_shared_string"])
def test_damaged_workbooks(mirror, datasets, tmp_path, damage):
    path = workbook(tmp_path / f"{damage}.xlsx", [HEADER, ["33.75.02.1004", "teks", 5]])
    if damage == "malformed":
        rezip(path, lambda m, d: d[: len(d) // 2] if m == "xl/worksheets/sheet1.xml" else d)
    elif damage == "flipped":
        data = bytearray(path.read_bytes())
        data[len(data) // 3] ^= 0x10
        path.write_bytes(bytes(data))
    elif damage == "no_sheets":
        rezip(
            path,
            lambda m, d: (
                d.replace(b"<sheets>", b"<sheets_>").replace(b"</sheets>", b"</sheets_>")
                if m == "xl/workbook.xml"
                else d
            ),
        )
    else:  # a shared-string cell pointing into a shared-string table the package does not have
        in_sheet(path, b'<c r="B2" t="inlineStr"><is><t>teks</t></is></c>', b'<c r="B2" t="s"><v>99</v></c>')
    refused(path, datasets, "not a readable XLSX workbook")


def test_password_protected_or_old_xls(mirror, datasets, tmp_path):
    path = tmp_path / "rahasia.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    refused(path, datasets, "password-protected or old-format")


def test_many_unknown_names_get_hints_only_for_the_first(mirror, datasets, tmp_path):
    rows = "\n".join(["Desa;pelaku_usaha;pekerja", *(f"Kaumann{i};1;1" for i in range(400))])
    with pytest.raises(ImportRejected) as caught:
        import_counts(write_text(tmp_path / "nama.csv", rows), 2024, "hostile test file", region="kota")
    problems = caught.value.problems
    assert len(problems) == 201 and "the rest was not checked" in problems[-1].reason
    assert sum("did you mean" in p.reason for p in problems) == 20


@pytest.mark.parametrize("source", ['=HYPERLINK("x")\rB', "line\nbreak", "\x1b[31mred"])
def test_sources_with_control_characters_are_refused(mirror, datasets, tmp_path, source):
    path = write_text(tmp_path / "ok.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;1;1\n")
    refused(path, datasets, "on one line", source=source)


def test_an_accepted_import_never_breaks_a_later_read(mirror, datasets, tmp_path, capsys):
    path = write_text(tmp_path / "ok.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;10000000;1\n")
    import_counts(path, 2099, "the largest allowed values", region="kota")
    assert [d.year for d in scan_datasets()[0]] == [2017, 2099] and scan_datasets()[1] == []
    assert main(["info", "--region", "kota", "--year", "2099"]) == 0


def test_a_damaged_version_is_skipped_and_reported(mirror, datasets, capsys):
    (datasets / "counts_2100_rusak_0000.csv").write_text("KDEPUM,nama_di_sumber\nx,y\n", encoding="utf-8")
    datasets_found, damaged = scan_datasets()
    assert [d.year for d in datasets_found] == [2017] and damaged[0].key == "counts_2100_rusak_0000"
    assert main(["datasets"]) == 0
    captured = capsys.readouterr()
    assert "2017\t" in captured.out and "skipped the damaged version counts_2100_rusak_0000:" in captured.err
    assert main(["info", "--region", "kota"]) == 0
