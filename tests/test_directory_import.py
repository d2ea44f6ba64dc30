"""Business directories, kecamatan-level tables and column mapping. Every file here is written by
the test and is synthetic (made-up businesses on the real boundaries); the expected per-desa
counts come from the ground truth the generator keeps, not from the code under test."""

import json
import random
from collections import Counter
from pathlib import Path

import pytest
import shapely
from openpyxl import Workbook

from atlas.analysis.layers import build_layers
from atlas.cli import main
from atlas.data import indicators
from atlas.data.crosswalk import normalise_name
from atlas.data.datasets import list_datasets
from atlas.errors import ImportRejected
from atlas.intake.directory import Keep, import_directory

SECRET = "RAHASIA"  # every business name and address carries it: it must never come out


@pytest.fixture(scope="module")
def units(layers_all):
    desa = layers_all.desa
    crosswalk = indicators.load_crosswalk_table()
    single_old = crosswalk.groupby("kelurahan_lama")["kode"].nunique()
    old = crosswalk[
        crosswalk["kelurahan_lama"].isin(single_old[single_old == 1].index)
        & (crosswalk["kelurahan_lama"].map(normalise_name) != crosswalk["kelurahan"].map(normalise_name))
    ]
    codes_of: dict[str, set] = {}  # every code a name (current or pre-2015) may stand for
    for code, name in [*zip(desa["KDEPUM"], desa["WADMKD"]), *zip(crosswalk["kode"], crosswalk["kelurahan_lama"])]:
        codes_of.setdefault(normalise_name(name), set()).add(code)
    old = old[[len(codes_of[normalise_name(n)]) == 1 for n in old["kelurahan_lama"]]]
    return {
        "desa": desa,
        "unique": desa[[len(codes_of[normalise_name(n)]) == 1 for n in desa["WADMKD"]]],
        "shared": desa[[len(codes_of[normalise_name(n)]) > 1 for n in desa["WADMKD"]]],
        "old": old,
        "points": dict(zip(desa["KDEPUM"], shapely.point_on_surface(desa.to_crs("EPSG:4326").geometry.values))),
    }


def messy(name: str, rng: random.Random) -> str:
    """The same name as people type it: case, spacing, punctuation."""
    return rng.choice([name.upper(), f"  {name.lower()} ", name.replace(" ", "  "), name.replace("a", "a-", 1), name])


def synthetic_directory(units, rows: int = 2000, seed: int = 11):
    """(rows as dicts, ground truth: code -> (businesses, known workers, missing), unplaceable lines)."""
    rng = random.Random(seed)
    desa = units["desa"].set_index("KDEPUM")
    records, truth, unplaceable = [], {}, []
    for n in range(rows):
        line = n + 2
        kind = rng.choices(
            ["name", "old", "shared", "coords", "both", "outside", "disagree", "unknown", "other"],
            [50, 8, 8, 10, 8, 3, 3, 3, 7],
        )[0]
        row = {"Nama Usaha": f"{SECRET} Batik {n}", "Alamat": f"Jl. {SECRET} {n}", "Produk": "Batik tulis"}
        workers = None if rng.random() < 0.08 else rng.randint(1, 40)
        row["Jml TK"] = "" if workers is None else workers
        code = None
        if kind == "name":
            code = rng.choice(list(units["unique"]["KDEPUM"]))
            row["Nama Desa"] = messy(desa.loc[code, "WADMKD"], rng)
        elif kind == "old":
            pick = units["old"].sample(1, random_state=rng.randint(0, 10**6)).iloc[0]
            code, row["Nama Desa"] = pick["kode"], pick["kelurahan_lama"]
        elif kind == "shared":
            code = rng.choice(list(units["shared"]["KDEPUM"]))
            row["Nama Desa"], row["Kec"] = desa.loc[code, "WADMKD"], desa.loc[code, "WADMKC"]
        elif kind in ("coords", "both"):
            code = rng.choice(list(desa.index))
            point = units["points"][code]
            row["Bujur"], row["Lintang"] = round(point.x, 7), round(point.y, 7)
            if kind == "both":
                row["Nama Desa"], row["Kec"] = desa.loc[code, "WADMKD"], desa.loc[code, "WADMKC"]
        elif kind == "outside":
            row["Bujur"], row["Lintang"] = 110.42, -6.99  # Semarang
            unplaceable.append(line)
        elif kind == "disagree":
            a, b = rng.sample(list(units["unique"]["KDEPUM"]), 2)
            row["Nama Desa"] = desa.loc[a, "WADMKD"]
            row["Bujur"], row["Lintang"] = units["points"][b].x, units["points"][b].y
            unplaceable.append(line)
        elif kind == "unknown":
            row["Nama Desa"] = f"Desa Tak Dikenal {n}"
            unplaceable.append(line)
        else:  # not batik: filtered out before placing
            row["Produk"] = "Konveksi"
            row["Nama Desa"] = desa.loc[rng.choice(list(units["unique"]["KDEPUM"])), "WADMKD"]
        if code:
            businesses, known, missing = truth.get(code, (0, 0, 0))
            truth[code] = (businesses + 1, known + (workers or 0), missing + (workers is None))
        records.append(row)
    return records, truth, unplaceable


COLUMNS = ["Nama Usaha", "Alamat", "Nama Desa", "Kec", "Produk", "Jml TK", "Bujur", "Lintang"]
MAPPING = "Nama Desa=desa,Kec=kecamatan,Jml TK=pekerja,Nama Usaha=nama_usaha,Alamat=alamat"


def write_csv(path: Path, records) -> Path:
    lines = [";".join(COLUMNS)] + [";".join(str(r.get(c, "")) for c in COLUMNS) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_2000_row_directory_gives_the_independently_computed_counts(units, datasets, tmp_path, capsys):
    records, truth, unplaceable = synthetic_directory(units)
    path = write_csv(tmp_path / "direktori.csv", records)
    args = ["import-directory", str(path), "--year", "2025", "--source", "Direktori IKM (synthetic test)"]
    args += ["--columns", MAPPING, "--keep", "Produk=batik"]
    assert main(args) == 0  # a dry run
    out = capsys.readouterr().out
    assert "dry run: nothing was stored" in out and not list(datasets.glob("counts_*"))
    not_placed = [line for line in out.splitlines() if "not placed" in line]
    reported = sorted(int(line.split("row ")[1].split(",")[0]) for line in not_placed)
    assert reported == sorted(unplaceable), [
        m for m in not_placed if int(m.split("row ")[1].split(",")[0]) not in unplaceable
    ][:5]
    assert main([*args, "--accept", "--save-profile", "direktori_ikm"]) == 0
    layer = build_layers("all", year=2025).desa.set_index("KDEPUM")
    for code, (businesses, known, missing) in truth.items():
        assert (layer.loc[code, "pelaku_usaha"], layer.loc[code, "pekerja"]) == (businesses, known), code
        assert layer.loc[code, "tanpa_pekerja"] == missing
        assert layer.loc[code, "status_data"] == ("partial" if missing else "reported")
    assert layer["pelaku_usaha"].notna().sum() == len(truth)
    sidecar = json.loads(next((datasets / "meta").glob("*.json")).read_text(encoding="utf-8"))
    assert len(sidecar["penempatan"]) == sum(b for b, _, _ in truth.values())
    assert sorted(sidecar["tidak_ditempatkan"]) == sorted(unplaceable)


def test_the_outputs_never_hold_a_business_name_or_address(units, datasets, tmp_path):
    records, _, _ = synthetic_directory(units, rows=300, seed=5)
    path = write_csv(tmp_path / "direktori.csv", records)
    import_directory(
        path, 2025, "Direktori (synthetic test)", mapping=_mapping(), keep=Keep("Produk", "batik"), accept=True
    )
    out = tmp_path / "out"
    for fmt in ("geojson", "gpkg", "csv", "xlsx"):
        assert main(["export", "--year", "2025", "--out", str(out / f"a.{fmt}")]) == 0
    assert main(["export", "--year", "2025", "--out", str(out / "a.zip")]) == 0
    assert main(["map", "--year", "2025", "--out", str(out / "peta.html")]) == 0
    import zipfile

    written = [p for folder in (datasets, out) for p in folder.rglob("*") if p.is_file()]
    assert len(written) >= 8
    for item in written:
        data = item.read_bytes()
        if item.suffix in (".xlsx", ".zip"):
            with zipfile.ZipFile(item) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        assert SECRET.encode() not in data and SECRET.lower().encode() not in data, item


def _mapping():
    from atlas.intake.columns import parse_mapping

    return parse_mapping(MAPPING)


def test_a_government_xlsx_layout_with_title_merged_header_and_totals(units, datasets, tmp_path):
    """Title row, a two-row header with 'Tenaga Kerja' merged over L / P / Jumlah, totals at the bottom."""
    desa = units["unique"].set_index("KDEPUM")
    picks = list(desa.index[:3])
    book = Workbook()
    sheet = book.active
    sheet.append(["DIREKTORI IKM BATIK KOTA/KABUPATEN PEKALONGAN 2025 (synthetic test)"])
    sheet.merge_cells("A1:G1")
    sheet.append(["No", "Nama Perusahaan", "Alamat", "Desa/Kelurahan", "Kecamatan", "Tenaga Kerja", None, None])
    sheet.append([None, None, None, None, None, "L", "P", "Jumlah"])
    sheet.merge_cells("F2:H2")
    expected = Counter()
    workers = Counter()
    for n, code in enumerate(picks * 2, start=1):
        sheet.append(
            [n, f"{SECRET} {n}", f"Jl. {SECRET}", desa.loc[code, "WADMKD"], desa.loc[code, "WADMKC"], 2, n, 2 + n]
        )
        expected[code] += 1
        workers[code] += 2 + n
    sheet.append(["JUMLAH", None, None, None, None, 12, 21, 33])
    path = tmp_path / "direktori_pemerintah.xlsx"
    book.save(path)
    report, result = import_directory(path, 2025, "Direktori Dinas (synthetic test)", accept=True)
    assert report.header_row == 3 and len(report.totals_rows) == 1 and not report.unplaced
    layer = build_layers("all", year=2025).desa.set_index("KDEPUM")
    assert {c: layer.loc[c, "pelaku_usaha"] for c in picks} == dict(expected)
    assert {c: layer.loc[c, "pekerja"] for c in picks} == dict(workers)


def test_refused_directories_leave_the_datasets_folder_byte_identical(units, datasets, tmp_path):
    records, _, _ = synthetic_directory(units, rows=50, seed=2)
    import_directory(
        write_csv(tmp_path / "a.csv", records), 2024, "Awal (synthetic test)", mapping=_mapping(), accept=True
    )
    before = {p: p.read_bytes() for p in datasets.rglob("*") if p.is_file()}
    no_workers = tmp_path / "tanpa_tk.csv"
    no_workers.write_text("Nama Desa;Produk\nKauman;Batik\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="a workers column"):
        import_directory(no_workers, 2025, "X (synthetic test)", accept=True)
    assert main(["import-directory", str(no_workers), "--year", "2025", "--source", "X", "--keep", "Warna=biru"]) == 1
    assert (
        main(["import-directory", str(no_workers), "--year", "2025", "--source", "X", "--columns", "Desa=provinsi"])
        == 2
    )
    assert {p: p.read_bytes() for p in datasets.rglob("*") if p.is_file()} == before


def test_a_kecamatan_table_shows_on_the_kecamatan_map_and_never_on_the_desa_map(mirror, datasets, tmp_path, capsys):
    path = tmp_path / "kecamatan.csv"
    path.write_text(
        "Laporan IKM per kecamatan 2023 (synthetic test)\n"
        "Kecamatan;Jumlah Unit Usaha;Jumlah Tenaga Kerja\n"
        "Pekalongan Barat;120;900\nPekalongan Timur;80;700\nJumlah;200;1600\n",
        encoding="utf-8",
    )
    assert (
        main(
            [
                "import",
                str(path),
                "--year",
                "2023",
                "--source",
                "Kecamatan Dalam Angka (synthetic test)",
                "--region",
                "kota",
            ]
        )
        == 0
    )
    version = next(d for d in list_datasets() if d.year == 2023)
    assert version.kind == "kecamatan"
    layers = build_layers("kota", dataset=version)
    kec = layers.kecamatan.set_index("WADMKC")
    assert (kec.loc["Pekalongan Barat", "pelaku_usaha"], kec.loc["Pekalongan Timur", "pekerja"]) == (120, 700)
    assert kec.loc["Pekalongan Utara", "status_data"] == "no data"
    assert layers.desa["pelaku_usaha"].isna().all()  # never spread over desa
    in_reported = layers.desa["WADMKC"].isin(["Pekalongan Barat", "Pekalongan Timur"])
    assert set(layers.desa.loc[in_reported, "status_data"]) == {"per kecamatan"}
    assert layers.kabkota["status_data"].iloc[0] == "partial"  # 2 of 4 kecamatan reported
    # in the latest view the report stands beside the sum of the desa counts, never averaged with it
    from atlas.data.datasets import latest_dataset

    latest = build_layers("kota", dataset=latest_dataset(list_datasets())).kecamatan.set_index("WADMKC")
    tabel1 = build_layers("kota", year=2017).kecamatan.set_index("WADMKC")
    assert latest.loc["Pekalongan Barat", "laporan_pelaku_usaha"] == 120
    assert latest.loc["Pekalongan Barat", "pelaku_usaha"] == tabel1.loc["Pekalongan Barat", "pelaku_usaha"]


def test_a_column_mapping_profile_round_trip(units, datasets, tmp_path, capsys):
    desa = units["unique"].set_index("KDEPUM")
    code = desa.index[0]
    path = tmp_path / "sendiri.csv"
    path.write_text(f"Nama Desa;Jml Unit;Jml TK\n{desa.loc[code, 'WADMKD']};4;31\n", encoding="utf-8")
    first = ["import", str(path), "--year", "2026", "--source", "A (synthetic test)"]
    assert (
        main([*first, "--columns", "Nama Desa=desa,Jml Unit=pelaku_usaha,Jml TK=pekerja", "--save-profile", "dinas"])
        == 0
    )
    assert main(["import", str(path), "--year", "2027", "--source", "B (synthetic test)", "--profile", "dinas"]) == 0
    for year in (2026, 2027):
        row = build_layers("all", year=year).desa.set_index("KDEPUM").loc[code]
        assert (row["pelaku_usaha"], row["pekerja"]) == (4, 31)
    assert main(["import", str(path), "--year", "2028", "--source", "C", "--profile", "tidak-ada"]) == 2
    assert "no column profile 'tidak-ada'" in capsys.readouterr().err


def test_published_unit_figures_stand_beside_the_counts(mirror):
    """SOURCES.md section 8: Jenggot's 203 batik industries (2020) in its details, never a count."""
    from atlas.render.presentation import unit_figures_table

    figures = indicators.load_unit_figures()
    jenggot = unit_figures_table(figures, "id", "33.75.04.1004")
    assert jenggot["Nilai"].tolist() == ["203"] and jenggot["Tahun"].tolist() == ["2020"]
    kota = unit_figures_table(figures, "en", "33.75")
    assert sorted(kota["Value"]) == ["6,792", "612", "917"]
    assert "batik workers in 15 of the 47 former kelurahan" in set(kota["Indicator"])
    tabel1 = build_layers("kota", year=2017).desa.set_index("KDEPUM")
    assert tabel1.loc["33.75.04.1004", "pelaku_usaha"] != 203  # not merged into the count dataset
