"""The margin view in a real browser: the map draws, the scenario label is on it, and a new
worker wage changes the map."""

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_app import MAP_FRAME, TIMEOUT_MS, map_frame


def legend_items(page) -> list[str]:
    return page.frame_locator(MAP_FRAME).locator(".atlas-legend-item").all_inner_texts()


def test_margin_view(page):
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Margin keuntungan", exact=True).click()
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".atlas-legend-title")).to_have_text("Upah buruh ÷ margin pemilik", timeout=TIMEOUT_MS)
    expect(frame.locator("path.leaflet-interactive")).to_have_count(312, timeout=TIMEOUT_MS)
    expect(frame.locator(".atlas-sources")).to_contain_text("semua masukan lain = asumsi skenario")
    expect(page.get_by_text("Asumsi skenario:", exact=False).first).to_be_visible()
    before = legend_items(page)
    screenshot(page, "view-margin")

    page.get_by_text("Masukan rantai nilai (per kain)").click()
    wage = page.get_by_label("Buruh batik: harga jual / upah (bersumber)")
    wage.fill("200000")
    wage.press("Enter")
    expect(frame.locator(".atlas-sources")).to_contain_text("bersumber = tidak ada", timeout=TIMEOUT_MS)
    after = legend_items(page)
    assert after != before and after[-1] == before[-1] == "Tidak ada data"
