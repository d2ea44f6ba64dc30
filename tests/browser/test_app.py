"""The Streamlit app in a real browser (Debian's Chromium via Playwright), offline."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import click_unit, screenshot

# while Streamlit swaps a re-keyed map component, the old iframe can linger for a moment
MAP_FRAME = "iframe[title='streamlit_folium.st_folium'] >> visible=true >> nth=-1"
TIMEOUT_MS = 30_000


def map_frame(page):
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".atlas-legend").wait_for(timeout=TIMEOUT_MS)
    return frame


def legend_title(page) -> str:
    return map_frame(page).locator(".atlas-legend-title").inner_text()


def sidebar_choice(page, label: str):
    page.get_by_test_id("stSidebar").get_by_text(label, exact=True).click()


def wait_for_legend(page, title: str):
    expect(page.frame_locator(MAP_FRAME).locator(".atlas-legend-title")).to_have_text(title, timeout=TIMEOUT_MS)


def test_map_draws_every_village_offline(page, layers_all):
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() == len(layers_all.desa) == 312
    assert legend_title(page) == "Pelaku usaha"
    assert frame.locator(".atlas-legend-item", has_text="Tidak ada data").count() == 1
    screenshot(page, "view-production")
    assert page.external_requests == []


def test_switching_view_changes_the_legend(page):
    assert legend_title(page) == "Pelaku usaha"
    sidebar_choice(page, "Tenaga kerja")
    wait_for_legend(page, "Pekerja")
    screenshot(page, "view-labour")


def test_clicking_kauman_shows_its_counts(page, layers_all):
    kauman = layers_all.desa.set_index("KDEPUM").loc["33.75.02.1004"]
    map_frame(page)
    click_unit(page, page.locator(MAP_FRAME), kauman.geometry)
    details = page.get_by_test_id("stTable").filter(has_text="33.75.02.1004")
    details.wait_for(timeout=TIMEOUT_MS)
    text = details.inner_text()
    assert "33.75.02.1004" in text and "Kauman" in text
    cells = details.evaluate(
        "table => [...table.querySelectorAll('tr')].map(tr => [...tr.querySelectorAll('th, td')].map(c => c.innerText.trim()))"
    )
    rows = {row[0]: row[-1] for row in cells if len(row) >= 2}
    assert rows["Pelaku usaha"].strip() == "30"
    assert rows["Pekerja"].strip() == "434"
    screenshot(page, "details-kauman")


def test_language_switch_changes_labels(page):
    sidebar_choice(page, "English")
    wait_for_legend(page, "Producers")
    page.get_by_role("heading", name="Batik Atlas of Pekalongan").wait_for(timeout=TIMEOUT_MS)
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_text("Production", exact=True).is_visible()
    assert sidebar.get_by_text("Labour", exact=True).is_visible()
    assert map_frame(page).locator(".atlas-legend-item", has_text="No data").count() == 1
    screenshot(page, "view-production-en")


def test_natural_breaks_with_five_classes(page):
    map_frame(page)
    page.get_by_role("combobox", name="Klasifikasi").click()
    page.get_by_role("option", name="Natural breaks (Fisher-Jenks)").click()
    # five classes and "no data"
    expect(page.frame_locator(MAP_FRAME).locator(".atlas-legend-item")).to_have_count(5 + 1, timeout=TIMEOUT_MS)


def test_geojson_download_parses(page):
    map_frame(page)
    with page.expect_download(timeout=TIMEOUT_MS) as caught:
        page.get_by_role("button", name="GeoJSON", exact=True).click()
    data = json.loads(open(caught.value.path(), encoding="utf-8").read())
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 312
    kauman = next(f for f in data["features"] if f["properties"]["KDEPUM"] == "33.75.02.1004")
    assert (kauman["properties"]["pelaku_usaha"], kauman["properties"]["pekerja"]) == (30, 434)


@pytest.mark.parametrize("level, count", [("Kecamatan", 23), ("Kabupaten/kota", 2)])
def test_levels_draw_their_units(page, level, count):
    map_frame(page)
    sidebar_choice(page, level)
    expect(page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive")).to_have_count(count, timeout=TIMEOUT_MS)
