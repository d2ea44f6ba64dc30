"""Time in the browser: the year control in the map (slider, play), the link's ``year=``, a unit
showing an earlier year's value marked, the selected unit's trend, and the ranked bars linked to
the map. A server of its own over a SYNTHETIC multi-year store (tests/test_series.py's versions)."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.appserver import running_app
from tests.browser.conftest import click_unit
from tests.browser.test_app import MAP_FRAME, TIMEOUT_MS, map_frame
from tests.test_series import import_versions

KAUMAN = "33.75.02.1004"
YEARS = [2017, 2019, 2021, 2024]


@pytest.fixture(scope="module")
def years_app(mirror, tmp_path_factory):
    folder = tmp_path_factory.mktemp("years-app")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ATLAS_DATASETS_DIR", str(folder / "datasets"))
        import_versions(folder)
    with running_app(folder / "streamlit.log", ATLAS_DATASETS_DIR=str(folder / "datasets")) as url:
        yield url


def open_years(browser, url: str, year: int | None = None, lang: str = "en"):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    link = f"{url}/?view=labour&measure=pekerja&region=kota&dataset=years&lang={lang}"
    page.goto(link + (f"&year={year}" if year else ""))
    frame = map_frame(page)
    frame.locator(".atlas-years").wait_for(timeout=TIMEOUT_MS)
    return page, frame


def unit_style(frame, code: str) -> dict:
    return frame.locator("body").evaluate(
        """(body, code) => { let found = null;
            window.map.atlasLayer.eachLayer(function (item) { if (item.feature.id === code) {
                found = {fill: item.options.fillColor, dash: item.options.dashArray || "",
                         lines: item.feature.properties.lines}; } });
            return found; }""",
        code,
    )


def move_slider(frame, year: int) -> None:
    frame.locator(".atlas-year-slider").evaluate(
        "(slider, index) => { slider.value = String(index); slider.dispatchEvent(new Event('input')); }",
        YEARS.index(year),
    )


def test_the_slider_changes_the_map_and_the_link(browser, years_app):
    page, frame = open_years(browser, years_app, 2024)
    assert frame.locator(".atlas-years").get_attribute("data-year") == "2024"
    kauman_2024 = unit_style(frame, KAUMAN)
    move_slider(frame, 2017)
    expect(frame.locator(".atlas-years")).to_have_attribute("data-year", "2017")
    kauman_2017 = unit_style(frame, KAUMAN)
    assert kauman_2017["fill"] != kauman_2024["fill"]  # 434 workers in 2017, 530 in 2024
    assert "year=2017" in page.evaluate("() => window.location.href")
    page.context.close()


def test_a_unit_carried_from_an_earlier_year_is_marked(browser, years_app, layers_all):
    page, frame = open_years(browser, years_app, 2021)
    kauman = unit_style(frame, KAUMAN)  # no 2021 value: 2019's, carried
    assert kauman["dash"] == "2 3" and any("2019, the closest year with data" in line for line in kauman["lines"])
    expect(frame.locator(".atlas-legend")).to_contain_text("An earlier year's value")
    details = page.get_by_test_id("stTable").filter(has_text="closest year with data")
    click_unit(
        page, page.locator(MAP_FRAME), layers_all.desa.set_index("KDEPUM").loc[KAUMAN, "geometry"], shows=details
    )
    expect(details).to_contain_text("2019, the closest year with data (no data for 2021)")
    frame = map_frame(page)
    move_slider(frame, 2019)
    expect(frame.locator(".atlas-years")).to_have_attribute("data-year", "2019")
    assert unit_style(frame, KAUMAN)["dash"] == ""  # 2019's own value
    page.context.close()


def test_play_advances_the_years_and_stops_at_the_last(browser, years_app):
    page, frame = open_years(browser, years_app, 2017)
    control = frame.locator(".atlas-years")
    frame.locator(".atlas-year-play").click()
    seen = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        year = int(control.get_attribute("data-year"))
        if not seen or seen[-1] != year:
            seen.append(year)
        if control.get_attribute("data-playing") == "no" and year == YEARS[-1]:
            break
        time.sleep(0.1)
    assert seen == YEARS and control.get_attribute("data-playing") == "no"
    assert control.get_attribute("data-year") == "2024"  # stopped at the last year
    page.context.close()


def test_the_details_show_the_units_series(browser, years_app, layers_all):
    page, frame = open_years(browser, years_app)
    kauman = layers_all.desa.set_index("KDEPUM").loc[KAUMAN, "geometry"]
    trend = page.get_by_text("This unit through the years")
    click_unit(page, page.locator(MAP_FRAME), kauman, shows=trend)
    expect(trend).to_be_visible(timeout=TIMEOUT_MS)
    table = page.get_by_test_id("stDataFrame").filter(has_text="Survei B")
    expect(table).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible(timeout=TIMEOUT_MS)
    page.context.close()


def test_clicking_a_bar_selects_the_unit(browser, years_app):
    page, frame = open_years(browser, years_app, 2024)
    chart = page.get_by_test_id("stVegaLiteChart").first
    expect(chart).to_be_visible(timeout=TIMEOUT_MS)
    chart.scroll_into_view_if_needed()
    box = chart.locator("canvas, svg").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + 12)  # the top bar: the highest unit
    expect(page.get_by_text("This unit through the years")).to_be_visible(timeout=TIMEOUT_MS)
    page.context.close()


def test_a_click_after_moving_the_slider_shows_the_details_of_that_year(browser, years_app, layers_all):
    page, frame = open_years(browser, years_app)  # no year in the link: the last, 2024
    expect(frame.locator(".atlas-years")).to_have_attribute("data-year", "2024")
    move_slider(frame, 2021)
    expect(frame.locator(".atlas-years")).to_have_attribute("data-year", "2021")
    details = page.get_by_test_id("stTable").filter(has_text="closest year with data")
    click_unit(
        page, page.locator(MAP_FRAME), layers_all.desa.set_index("KDEPUM").loc[KAUMAN, "geometry"], shows=details
    )
    expect(details).to_contain_text("2019, the closest year with data (no data for 2021)")
    expect(map_frame(page).locator(".atlas-years")).to_have_attribute("data-year", "2021")
    page.context.close()
