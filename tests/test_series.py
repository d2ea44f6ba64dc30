"""Each unit's values through the years (``atlas export --layer series``) over a SYNTHETIC
multi-year set: several made-up versions on the real codes, with different units, gaps and two
sources in one year. Expected rows are computed here by brute force from the stored version files
(pandas) and the 2017 Tabel 1 layer, independently of ``atlas.analysis.series``."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from atlas.analysis.layers import build_layers
from atlas.cli import main
from tests.conftest import write_text

#: synthetic versions (year, source, rows of code;producers;workers), imported in this order
VERSIONS = [
    (2019, "Survei A (synthetic test)", ["33.75.02.1004;40;480", "33.75.01.1002;8;95"]),
    (2021, "Survei A (synthetic test)", ["33.75.01.1003;5;50"]),
    (2024, "Survei A (synthetic test)", ["33.75.02.1004;45;520", "33.75.01.1003;6;61"]),
    (2024, "Survei B (synthetic test)", ["33.75.02.1004;47;530"]),  # the newer import of 2024 wins for Kauman
]


def import_versions(folder) -> None:
    """Import ``VERSIONS`` (synthetic) into the store ``ATLAS_DATASETS_DIR`` names, in order."""
    for number, (year, source, rows) in enumerate(VERSIONS):
        time.sleep(1.1 if number else 0)  # import times are kept to the second: each import its own
        path = write_text(folder / f"v{number}.csv", "kode;pelaku_usaha;pekerja\n" + "\n".join(rows) + "\n")
        assert main(["import", str(path), "--year", str(year), "--source", source, "--region", "kota"]) == 0


@pytest.fixture(scope="module")
def multi_year(mirror, tmp_path_factory):
    folder = tmp_path_factory.mktemp("series")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ATLAS_DATASETS_DIR", str(folder / "datasets"))
        import_versions(folder)
        yield folder, patch


def brute_force(folder, tolerance: int) -> pd.DataFrame:
    """(KDEPUM, tahun) -> pelaku_usaha, pekerja, tahun_data, sumber, dibawa by loops over the inputs."""
    tabel1 = build_layers("kota", year=2017).desa
    inputs = [
        (2017, 0, row.KDEPUM, row.pelaku_usaha, row.pekerja, row.sumber)
        for row in tabel1.itertuples()
        if pd.notna(row.pelaku_usaha)
    ]
    stored = sorted((folder / "datasets").glob("counts_*.csv"))
    for path in stored:
        table = pd.read_csv(path, dtype={"KDEPUM": str})
        for row in table.itertuples():
            inputs.append((row.tahun, row.diimpor, row.KDEPUM, row.pelaku_usaha, row.pekerja, row.sumber))
    years = sorted({entry[0] for entry in inputs})
    expected = []
    for code in tabel1["KDEPUM"]:
        for year in years:
            found = None
            for back in range(tolerance + 1):
                candidates = [e for e in inputs if e[2] == code and e[0] == year - back]
                if candidates:
                    found = max(candidates, key=lambda e: str(e[1]))  # the newest import of that year
                    break
            if found is None:
                expected.append((code, year, None, None, None, None, "no"))
            else:
                carried = "yes" if found[0] != year else "no"
                expected.append((code, year, found[3], found[4], found[0], found[5], carried))
    columns = ["KDEPUM", "tahun", "pelaku_usaha", "pekerja", "tahun_data", "sumber", "dibawa"]
    return pd.DataFrame(expected, columns=columns).set_index(["KDEPUM", "tahun"]).sort_index()


@pytest.mark.parametrize("tolerance", [3, 0, 10])
def test_the_series_export_equals_the_stored_versions_row_for_row(multi_year, tmp_path, tolerance):
    folder, patch = multi_year
    out = tmp_path / "deret.csv"
    args = ["export", "--layer", "series", "--region", "kota", "--tolerance", str(tolerance), "--out", str(out)]
    assert main(args) == 0
    got = pd.read_csv(out, dtype={"KDEPUM": str}, encoding="utf-8-sig").set_index(["KDEPUM", "tahun"]).sort_index()
    expected = brute_force(folder, tolerance)
    assert got.index.equals(expected.index) and len(got) == 27 * 4  # 27 kelurahan x 2017, 2019, 2021, 2024
    for column in ("pelaku_usaha", "pekerja", "tahun_data"):
        assert got[column].astype("Int64").equals(expected[column].astype("Int64")), column
    assert got["dibawa"].equals(expected["dibawa"])
    assert got["sumber"].fillna("").equals(expected["sumber"].fillna(""))


def test_a_carried_value_is_marked_and_a_gap_beyond_the_tolerance_is_no_data(multi_year, tmp_path):
    out = tmp_path / "deret.csv"
    assert main(["export", "--layer", "series", "--region", "kota", "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"KDEPUM": str}, encoding="utf-8-sig").set_index(["KDEPUM", "tahun"])
    medono_2021 = table.loc[("33.75.01.1002", 2021)]  # reported 2019 only: carried two years
    assert (medono_2021["pekerja"], medono_2021["tahun_data"], medono_2021["dibawa"]) == (95, 2019, "yes")
    medono_2024 = table.loc[("33.75.01.1002", 2024)]  # five years after 2019: beyond 3, no data
    assert pd.isna(medono_2024["pekerja"]) and medono_2024["status_data"] == "no data"
    kauman_2024 = table.loc[("33.75.02.1004", 2024)]
    assert (kauman_2024["pekerja"], kauman_2024["sumber"]) == (530, "Survei B (synthetic test)")


@pytest.mark.parametrize("fmt", ["xlsx", "gpkg"])
def test_the_series_exports_as_xlsx_and_geopackage(multi_year, tmp_path, fmt):
    import pyogrio

    out = tmp_path / f"deret.{fmt}"
    assert main(["export", "--layer", "series", "--region", "kota", "--out", str(out)]) == 0
    if fmt == "gpkg":
        layers = {name for name, _ in pyogrio.list_layers(out)}
        assert {"desa", "kecamatan", "kabkota", "metadata"} <= layers
        desa = pyogrio.read_dataframe(out, layer="desa")
        assert len(desa) == 27 * 4 and desa.geometry.notna().all()
    else:
        table = pd.read_excel(out, sheet_name="data", dtype={"KDEPUM": str})
        assert len(table) == 27 * 4 and {"tahun", "tahun_data", "dibawa"} <= set(table.columns)


def test_kecamatan_series_sum_only_complete_years(multi_year, tmp_path):
    out = tmp_path / "kec.csv"
    assert main(["export", "--layer", "series", "--level", "kecamatan", "--region", "kota", "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"KDCPUM": str}, encoding="utf-8-sig")
    partial_years = table[table["status_data"] != "reported"]
    assert partial_years["pekerja"].isna().all()  # never a partial sum


def test_small_multiples_are_written_in_three_formats_and_both_languages(multi_year, tmp_path):
    from PIL import Image

    out = tmp_path / "fig"
    assert main(["figures", "--years", "2017,2019,2024", "--region", "kota", "--out", str(out)]) == 0
    written = sorted(p.name for p in out.iterdir())
    expected = [
        f"perkembangan_{measure}_{lang}.{fmt}"
        for measure in ("pekerja", "pelaku_usaha")
        for lang in ("en", "id")
        for fmt in ("pdf", "png", "svg")
    ]
    assert written == sorted(expected)
    with Image.open(out / "perkembangan_pekerja_id.png") as image:
        assert image.info["dpi"][0] == pytest.approx(300, abs=1) and image.size[0] > 3 * 1000
    assert (out / "perkembangan_pekerja_en.pdf").read_bytes().startswith(b"%PDF")
    svg = (out / "perkembangan_pekerja_en.svg").read_text(encoding="utf-8")
    assert "Workers by year" in svg or "Workers" in svg


def test_the_same_value_gets_the_same_colour_in_every_panel(multi_year):
    from atlas.analysis.series import unit_series
    from atlas.render.small_multiples import small_multiples

    series = unit_series("kota", "desa")
    figure = small_multiples(series, "pekerja", [2019, 2021], "en")
    fills = {}
    for ax, year in zip(figure.axes, (2019, 2021)):
        panel = series[series["tahun"] == year].reset_index(drop=True)
        colours = ax.collections[0].get_facecolors()
        for row, colour in zip(panel.itertuples(), colours):
            if pd.notna(row.pekerja):
                fills.setdefault(int(row.pekerja), set()).add(tuple(colour.round(4)))
    assert fills and all(len(colours) == 1 for colours in fills.values())  # one value, one colour


def test_small_multiples_refuse_a_year_without_data(multi_year, tmp_path, capsys):
    assert main(["figures", "--years", "2017,2030", "--out", str(tmp_path / "f")]) == 2
    assert "no data for the year(s) [2030]" in capsys.readouterr().err


def year_raster(path, descriptions=None):
    """A SYNTHETIC 3-band GeoTIFF over Kota Pekalongan: band b is the constant 10 b."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_bounds

    minx, miny, maxx, maxy = build_layers("kota").desa.to_crs("EPSG:4326").total_bounds
    transform = from_bounds(minx - 0.01, miny - 0.01, maxx + 0.01, maxy + 0.01, 60, 60)
    with rasterio.open(
        path, "w", driver="GTiff", width=60, height=60, count=3, dtype="float32", crs="EPSG:4326", transform=transform
    ) as dst:
        for band in (1, 2, 3):
            dst.write(np.full((60, 60), 10.0 * band, dtype="float32"), band)
            if descriptions:
                dst.set_band_description(band, descriptions[band - 1])
    return path


@pytest.mark.parametrize("named_by", ["option", "descriptions"])
def test_a_raster_of_years_pairs_each_band_with_that_years_batik(multi_year, tmp_path, named_by):
    folder, _ = multi_year
    years = [2017, 2019, 2021]
    if named_by == "option":
        raster = year_raster(tmp_path / "tahun.tif")
        extra = ["--band-years", ",".join(map(str, years))]
    else:
        raster = year_raster(tmp_path / "tahun.tif", [str(y) for y in years])
        extra = ["--band-years"]
    out = tmp_path / "env.csv"
    args = ["overlay", str(raster), "--region", "kota", "--stats", "mean", "--out", str(out), *extra]
    assert main(args) == 0
    table = pd.read_csv(out, dtype={"KDEPUM": str}, encoding="utf-8-sig").set_index(["KDEPUM", "tahun"]).sort_index()
    assert len(table) == 27 * 3
    for band, year in enumerate(years, start=1):
        assert (table.xs(year, level="tahun")["r_mean"] == 10.0 * band).all()  # each band its own year
    expected = brute_force(folder, 3)
    for year in years:
        got = table.xs(year, level="tahun")["pekerja"].astype("Int64")
        want = expected.xs(year, level="tahun")["pekerja"].astype("Int64")
        assert got.equals(want.loc[got.index]), year
    assert table.loc[("33.75.02.1004", 2021), "dibawa"] == "yes"  # 2019's value, carried


def test_band_years_must_name_every_band(multi_year, tmp_path, capsys):
    raster = year_raster(tmp_path / "tahun.tif")
    out = tmp_path / "env.csv"
    assert main(["overlay", str(raster), "--region", "kota", "--band-years", "2017,2019", "--out", str(out)]) == 2
    assert "names 2 years but tahun.tif has 3 bands" in capsys.readouterr().err
    assert main(["overlay", str(raster), "--region", "kota", "--band-years", "--out", str(out)]) == 1
    assert "not named by year" in capsys.readouterr().err and not out.exists()
