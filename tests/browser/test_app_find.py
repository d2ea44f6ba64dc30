"""Map and table together: a search by a pre-2015 name finds today's unit, a table row zooms the
map to its unit, and the current view saves as a PNG drawn by the figures engine."""

import io

from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import map_settled
from tests.browser.test_app import MAP_FRAME, TIMEOUT_MS, map_frame, sidebar_choice

PASIRKRATONKRAMAT = "33.75.01.1008"  # today's kelurahan of the pre-2015 Pasirsari


def zoom(page) -> float:
    return page.frame_locator(MAP_FRAME).locator("body").evaluate("() => window.map.getZoom()")


def centre_in(page, bounds) -> bool:
    minx, miny, maxx, maxy = bounds
    lat, lon = (
        page.frame_locator(MAP_FRAME)
        .locator("body")
        .evaluate("() => { const c = window.map.getCenter(); return [c.lat, c.lng]; }")
    )
    return minx <= lon <= maxx and miny <= lat <= maxy


def test_the_search_finds_a_pre_2015_name(page, layers_all):
    map_frame(page)
    start = zoom(page)
    search = page.get_by_role("combobox", name="Cari wilayah (nama sekarang atau sebelum 2015)")
    search.click()
    page.keyboard.type("Pasirsari")
    page.get_by_role("option", name="Pasirsari (nama lama) → Pasirkratonkramat").click()
    details = page.get_by_test_id("stTable").filter(has_text=PASIRKRATONKRAMAT)
    expect(details).to_contain_text("Pasirkratonkramat", timeout=TIMEOUT_MS)
    unit = layers_all.desa.set_index("KDEPUM").loc[PASIRKRATONKRAMAT, "geometry"]
    expect(page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first).to_be_visible(timeout=TIMEOUT_MS)
    map_settled(page.frame_locator(MAP_FRAME).locator("body"))  # the new map document draws and zooms
    assert zoom(page) > start and centre_in(page, unit.bounds)


def test_a_table_row_zooms_the_map_to_its_unit(page, layers_all):
    map_frame(page)
    start = zoom(page)
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # the selection cell of the first row
    first = layers_all.desa.iloc[0]
    details = page.get_by_test_id("stTable").filter(has_text=first["KDEPUM"])
    expect(details).to_be_visible(timeout=TIMEOUT_MS)
    map_settled(page.frame_locator(MAP_FRAME).locator("body"))
    assert zoom(page) > start and centre_in(page, first.geometry.bounds)


def test_save_map_returns_a_png_of_the_current_view(page):
    map_frame(page)
    sidebar_choice(page, "Tenaga kerja")
    expect(page.frame_locator(MAP_FRAME).locator(".atlas-legend-title")).to_have_text("Pekerja", timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as caught:
        page.get_by_role("button", name="Simpan peta ini (PNG)").click()
    download = caught.value
    assert download.suggested_filename == "peta_pekerja_desa_all.png"
    image = Image.open(io.BytesIO(open(download.path(), "rb").read()))
    assert image.format == "PNG" and image.size[0] > 1000
