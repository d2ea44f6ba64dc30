"""The change view in a real browser: classes centred on zero (the neutral class is exactly no
change), the comparison with a partial count flagged on the map and in the table, and the
download of the change layer itself."""

import json
import os

from playwright.sync_api import expect

from atlas.analysis.layers import build_layers
from atlas.intake.importer import import_counts
from tests.browser.test_app import MAP_FRAME, TIMEOUT_MS, map_frame, sidebar_choice
from tests.browser.test_app_languages import check
from tests.conftest import write_text

SOURCE = "Survei 2014 (synthetic test)"


def synthetic_2014(folder, app_datasets, layers_all):
    """A 2014 version, earlier than Tabel 1 so the default dataset of other tests stays 2017:
    Kauman counted whole (2017 counts only part of it), one complete kelurahan with 5 more workers
    than in 2017, one with 3 fewer, one unchanged."""
    kota = layers_all.desa[(layers_all.desa["KDPKAB"] == "33.75") & (layers_all.desa["status_data"] == "reported")]
    rising, falling, same = kota.iloc[0], kota.iloc[1], kota.iloc[2]
    lines = ["kode;pelaku_usaha;pekerja", "33.75.02.1004;25;400"]
    for row, delta in ((rising, -5), (falling, 3), (same, 0)):  # 2014 value = 2017 value - change
        lines.append(f"{row.KDEPUM};{row.pelaku_usaha};{row.pekerja + delta}")
    path = write_text(folder / "c2014.csv", "\n".join(lines) + "\n")
    previous = os.environ.get("ATLAS_DATASETS_DIR")
    os.environ["ATLAS_DATASETS_DIR"] = str(app_datasets)
    try:
        import_counts(path, 2014, SOURCE, region="kota")
        return build_layers("kota", year=2014)
    finally:
        os.environ["ATLAS_DATASETS_DIR"] = previous or ""


def test_change_view_is_centred_on_zero_and_flags_partial_counts(page, app_datasets, layers_all, tmp_path):
    synthetic_2014(tmp_path, app_datasets, layers_all)
    page.reload()
    map_frame(page)
    sidebar_choice(page, "Tenaga kerja")
    page.get_by_text("Tampilkan perubahan antar dua tahun").click()
    page.get_by_role("combobox", name="Dibandingkan dengan (awal)").click()
    page.get_by_role("option", name=f"2014: {SOURCE}").click()
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".atlas-legend-title")).to_have_text("Perubahan Pekerja, 2014 → 2017", timeout=TIMEOUT_MS)
    labels = frame.locator(".atlas-legend-item").all_inner_texts()
    neutral = labels.index("0 (tidak berubah)")
    assert all(label.startswith("-") for label in labels[:neutral])  # falls, below zero only
    assert all(not label.startswith("-") for label in labels[neutral + 1 : -2])  # rises
    assert labels[-2:] == ["Tidak ada data", "Dibandingkan dengan data sebagian"]
    expect(page.get_by_text("1 wilayah dibandingkan dengan data sebagian")).to_be_visible()
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_contain_text("Selisih pekerja")
    check(page, "id", "change")  # in one language only, with a screenshot
    with page.expect_download(timeout=TIMEOUT_MS) as caught:
        page.get_by_role("button", name="GeoJSON", exact=True).click()
    data = json.loads(open(caught.value.path(), encoding="utf-8").read())
    kauman = next(f["properties"] for f in data["features"] if f["properties"]["KDEPUM"] == "33.75.02.1004")
    assert (kauman["selisih_pekerja"], kauman["status_banding"]) == (434 - 400, "partial")
    assert caught.value.suggested_filename == "atlas_perubahan_desa_all.geojson"
    sidebar_choice(page, "English")  # the same change view in English
    expect(frame.locator(".atlas-legend-title")).not_to_have_text("Perubahan Pekerja, 2014 → 2017", timeout=TIMEOUT_MS)
    check(page, "en", "change")
