"""Every view in both languages, read as a visitor reads it: the page, its tables (the grid's
cells), the map frames (legend, scale, sources) and the details of a clicked unit. A screen fails
on a phrase from the other language's tables, on "None"/"nan"/"empty", and, in Bahasa Indonesia,
on a decimal point. Each view is saved as a screenshot in artifacts/ (language-view.png)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import click_unit, page_quiet, screenshot
from tests.browser.language import problems
from tests.browser.test_app import MAP_FRAME, TIMEOUT_MS
from tests.browser.test_app_environment import FRAMES, synthetic_elevation

KAUMAN = "33.75.02.1004"
#: (name, link): the views a planner, a Bappeda officer and a researcher open.
LINKED_VIEWS = (
    ("production", "view=production"),
    ("labour-kecamatan-kota", "view=labour&level=kecamatan&region=kota"),
    ("production-kabupaten", "view=production&region=kabupaten"),
    ("labour-kabkota", "view=labour&level=kabkota"),
    ("margin", "view=margin"),
    ("data", "view=data"),
)


def screen_text(page) -> str:
    """What the visitor can read: the page, the table grids' cells and every map frame."""
    page_quiet(page)  # the run finished and its last elements are drawn
    parts = [page.inner_text("body")]
    parts += page.locator("[role=gridcell], [role=columnheader]").all_text_contents()
    parts += page.evaluate("() => [...document.querySelectorAll('input[type=number]')].map(i => i.value)")
    parts += [frame.inner_text("body") for frame in page.frames[1:] if frame.url.startswith(("about:", "http"))]
    return "\n".join(parts)


# text cut off by its box: with an ellipsis, or clipped (a chosen value in a narrow select box)
TRUNCATED_JS = """() => {
const text = e => (e.tagName === 'INPUT' ? e.value : e.innerText || '').trim();
return [...document.querySelectorAll('*')].filter(e => {
    const style = getComputedStyle(e);
    const cut = style.textOverflow === 'ellipsis' || (e.childElementCount === 0 && style.overflowX !== 'visible');
    const shown = e.offsetParent !== null && e.clientWidth > 2;  // not a screen-reader-only text
    return cut && shown && e.scrollWidth > e.clientWidth + 1 && text(e);
}).map(text); }"""


def check(page, lang: str, name: str) -> None:
    screenshot(page, f"{lang}-{name}")
    found = problems(screen_text(page), lang)
    found += [f"truncated: {text!r}" for text in page.evaluate(TRUNCATED_JS)]
    assert found == [], f"{name} ({lang}): " + "\n".join(found)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_linked_view_speaks_one_language(browser, app_url, layers_all, lang):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        for name, link in LINKED_VIEWS:
            page.goto(f"{app_url}/?{link}&lang={lang}")
            page.locator("h1").first.wait_for(timeout=TIMEOUT_MS)
            if name != "data":
                page.frame_locator(MAP_FRAME).locator(".atlas-legend").wait_for(timeout=TIMEOUT_MS)
            if name in ("production", "margin"):  # the details panel of a clicked unit too
                unit = layers_all.desa.set_index("KDEPUM").loc[KAUMAN].geometry
                details = page.get_by_test_id("stTable").filter(has_text=KAUMAN)
                click_unit(page, page.locator(MAP_FRAME), unit, shows=details)
                expect(details).to_be_visible(timeout=TIMEOUT_MS)
            check(page, lang, name)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_environment_view_speaks_one_language(browser, app_url, layers_all, tmp_path, lang):
    """A continuous raster, the same as land cover (categorical), and a flood polygon (all
    synthetic, written here)."""
    raster = synthetic_elevation(tmp_path / "elevasi.tif", layers_all)
    flood = tmp_path / "rob.geojson"
    kota = layers_all.desa[layers_all.desa["KDEPUM"].str.startswith("33.75.02")]
    gpd.GeoDataFrame(geometry=[kota.to_crs("EPSG:32749").union_all().centroid.buffer(800)], crs="EPSG:32749").to_crs(
        "EPSG:4326"
    ).to_file(flood, driver="GeoJSON")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?view=environment&lang={lang}")
        upload = page.locator("input[type='file']").first
        upload.set_input_files(str(raster))
        expect(page.locator(FRAMES)).to_have_count(2, timeout=TIMEOUT_MS)
        for i in range(2):
            page.frame_locator(FRAMES).nth(i).locator(".atlas-legend").wait_for(timeout=TIMEOUT_MS)
        check(page, lang, "environment-raster")
        title = page.frame_locator(FRAMES).nth(0).locator(".atlas-legend-title")
        mean_title = title.inner_text()
        page.get_by_test_id("stCheckbox").first.locator("label").click()  # categorical: class shares, no mean
        expect(title).not_to_have_text(mean_title, timeout=TIMEOUT_MS)
        check(page, lang, "environment-categorical")
        upload.set_input_files(str(flood))
        expect(page.frame_locator(FRAMES).nth(0).locator(".atlas-sources")).to_contain_text(
            "rob.geojson", timeout=TIMEOUT_MS
        )
        check(page, lang, "environment-vector")
    finally:
        context.close()
