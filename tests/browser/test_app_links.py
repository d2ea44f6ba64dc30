"""Links that reopen a view: the URL carries view, measure, level, region and language, and a
language switch keeps every choice."""

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_app import MAP_FRAME, TIMEOUT_MS, map_frame, sidebar_choice


def test_a_link_opens_that_map_in_that_language(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?view=labour&level=kecamatan&region=kota&lang=en")
        frame = page.frame_locator(MAP_FRAME)
        expect(frame.locator(".atlas-legend-title")).to_have_text("Workers", timeout=TIMEOUT_MS)
        expect(frame.locator("path.leaflet-interactive")).to_have_count(4, timeout=TIMEOUT_MS)  # Kota's kecamatan
        page.get_by_role("heading", name="Batik Atlas of Pekalongan").wait_for(timeout=TIMEOUT_MS)
        screenshot(page, "link-labour-kecamatan-kota-en")
    finally:
        context.close()


def test_the_url_follows_the_view_and_a_language_switch_keeps_the_choices(page):
    map_frame(page)
    sidebar_choice(page, "Tenaga kerja")
    sidebar_choice(page, "Kecamatan")
    sidebar_choice(page, "Kota Pekalongan")
    expect(page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive")).to_have_count(4, timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => location.search.includes('level=kecamatan') && location.search.includes('region=kota')",
        timeout=TIMEOUT_MS,
    )
    sidebar_choice(page, "English")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".atlas-legend-title")).to_have_text("Workers", timeout=TIMEOUT_MS)
    expect(frame.locator("path.leaflet-interactive")).to_have_count(4, timeout=TIMEOUT_MS)
    page.wait_for_function("() => location.search.includes('lang=en')", timeout=TIMEOUT_MS)
