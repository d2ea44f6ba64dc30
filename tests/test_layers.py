"""Joined and aggregated layers from the real data, and no-data handling."""

import csv

import pandas as pd
import pytest

from atlas.analysis.layers import NO_DATA, PARTIAL, REPORTED, build_layers
from atlas.data import indicators
from atlas.data.datasets import builtin_dataset
from atlas.errors import AtlasError, IndicatorTableError


def tabel1_sums():
    """Producer and worker totals read straight from the CSV, without the atlas's loader."""
    with open(indicators.TABEL1_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return sum(int(r["pelaku_usaha"]) for r in rows), sum(int(r["pekerja"]) for r in rows)


def village(layers, code):
    return layers.desa.set_index("KDEPUM").loc[code]


def test_village_layer_covers_both_regions(layers_all):
    assert len(layers_all.desa) == 312
    assert layers_all.desa["KDEPUM"].is_unique


def test_kota_sums_equal_tabel1(layers_all):
    kota = layers_all.desa[layers_all.desa["KDPKAB"] == "33.75"]
    assert (kota["pelaku_usaha"].sum(), kota["pekerja"].sum()) == tabel1_sums() == (674, 6224)


@pytest.mark.parametrize(
    "code, producers, workers, status",
    [
        ("33.75.02.1004", 30, 434, PARTIAL),  # Kauman: 1 of 4 pre-2015 kelurahan reported
        ("33.75.04.1002", 134, 790, REPORTED),  # Banyurip = Banyurip Ageng + Banyurip Alit
        ("33.75.03.1002", 43, 667, REPORTED),  # Krapyak = Krapyak Kidul + Krapyak Lor
        ("33.75.01.1008", 107, 1468, PARTIAL),  # Pasirkratonkramat: Pasirsari only
        ("33.75.01.1002", 31, 142, REPORTED),  # Medono, unchanged in 2015
    ],
)
def test_known_villages(layers_all, code, producers, workers, status):
    row = village(layers_all, code)
    assert (row["pelaku_usaha"], row["pekerja"], row["status_data"]) == (producers, workers, status)
    assert row["pekerja_per_pelaku"] == pytest.approx(workers / producers)
    assert row["pekerja_per_km2"] == pytest.approx(workers / row["luas_km2"])
    assert row["tahun"] == 2017 and "Tabel 1" in row["sumber"]


def test_unreported_units_are_null_not_zero(layers_all):
    kab = layers_all.desa[layers_all.desa["KDPKAB"] == "33.26"]
    assert len(kab) == 285
    assert kab["pelaku_usaha"].isna().all() and kab["pekerja"].isna().all()
    assert kab["pekerja_per_km2"].isna().all() and kab["tahun"].isna().all()
    assert (kab["status_data"] == NO_DATA).all()
    poncol = village(layers_all, "33.75.02.1007")
    assert pd.isna(poncol["pelaku_usaha"]) and poncol["status_data"] == NO_DATA


def test_kecamatan_sums_are_village_sums(layers_all):
    desa, kec = layers_all.desa, layers_all.kecamatan.set_index("KDCPUM")
    for code, group in desa[desa["KDPKAB"] == "33.75"].groupby("KDCPUM"):
        assert kec.loc[code, "pelaku_usaha"] == group["pelaku_usaha"].sum()
        assert kec.loc[code, "jumlah_unit"] == len(group)
        assert kec.loc[code, "unit_berdata"] == group["pelaku_usaha"].notna().sum()
    assert (kec.loc["33.75.01", "pelaku_usaha"], kec.loc["33.75.01", "status_data"]) == (
        31 + 22 + 24 + 107 + 46 + 60,
        PARTIAL,
    )


def test_kabkota_sums_and_published_totals_side_by_side(layers_all):
    kab = layers_all.kabkota.set_index("KDPKAB")
    assert (kab.loc["33.75", "pelaku_usaha"], kab.loc["33.75", "pekerja"]) == (674, 6224)
    assert kab.loc["33.75", "status_data"] == PARTIAL
    assert (kab.loc["33.75", "jumlah_unit"], kab.loc["33.75", "unit_berdata"]) == (27, 11)
    assert kab.loc["33.75", "pekerja_astuti2016"] == 9944
    assert kab.loc["33.75", "pekerja_dinas2016"] == 12937
    assert kab.loc["33.26", "ikm_disperindag2019"] == 645
    assert pd.isna(kab.loc["33.26", "pelaku_usaha"]) and kab.loc["33.26", "status_data"] == NO_DATA


def test_region_selects_units(mirror):
    assert len(build_layers("kota").desa) == 27
    assert len(build_layers("kabupaten").desa) == 285


@pytest.mark.parametrize("region", ["33.75,33.75", "kota,33.75", "33.75, kota ,33.75", "all,33.26,kabupaten"])
def test_a_region_named_twice_gives_each_unit_once(mirror, region):
    expected = 27 if "all" not in region else 27 + 285
    desa = build_layers(region).desa
    assert len(desa) == expected and desa["KDEPUM"].is_unique


def synthetic_dataset(tmp_path, rows):
    """Labelled synthetic counts in the Tabel 1 format, for join tests (not real data)."""
    header = "kode_kabkota,kecamatan,klaster,nama_di_sumber,pelaku_usaha,pekerja,tahun,sumber\n"
    body = "".join(",".join(str(v) for v in row) + "\n" for row in rows)
    path = tmp_path / "synthetic_counts.csv"
    path.write_text(header + body, encoding="utf-8")
    return builtin_dataset(path)


def test_counts_for_a_kabupaten_desa_join_by_name(tmp_path):
    dataset = synthetic_dataset(tmp_path, [("33.26", "Wiradesa", "Kauman", "Kauman", 5, 50, 2030, "synthetic test")])
    layers = build_layers("kabupaten", dataset=dataset)
    row = village(layers, "33.26.16.2016")
    assert (row["pelaku_usaha"], row["pekerja"], row["status_data"]) == (5, 50, REPORTED)
    wiradesa = layers.kecamatan.set_index("KDCPUM").loc["33.26.16"]
    assert wiradesa["pelaku_usaha"] == 5 and wiradesa["status_data"] == PARTIAL


def test_unknown_name_in_counts_names_the_line(tmp_path):
    dataset = synthetic_dataset(
        tmp_path, [("33.75", "Pekalongan Timur", "Kaumann", "Kaumann", 1, 1, 2017, "synthetic test")]
    )
    with pytest.raises(IndicatorTableError, match=r"line 2, column klaster: 'Kaumann' .* did you mean 'Kauman'"):
        build_layers("kota", dataset=dataset)


def test_year_must_exist(mirror):
    with pytest.raises(AtlasError, match="no dataset for year 1999 .* available: 2017: PEL Batik"):
        build_layers("kota", year=1999)
