"""The field survey in the browser: the data page offers the XLSForm, and after a (synthetic)
survey export was loaded, the first screen says how far the survey has come. A server of its own,
so the survey version does not change what the other browser tests see."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from atlas.cli import main
from tests.browser.appserver import running_app
from tests.browser.test_app import TIMEOUT_MS, map_frame
from tests.test_survey import SOURCE, kobo, submissions


@pytest.fixture(scope="module")
def survey_app(mirror, tmp_path_factory):
    folder = tmp_path_factory.mktemp("survey-app")
    frame = submissions()
    export = folder / "kobo.csv"
    kobo(frame).to_csv(export, index=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ATLAS_DATASETS_DIR", str(folder / "datasets"))
        args = ["import-directory", str(export), "--year", "2026", "--source", SOURCE, "--region", "kabupaten"]
        assert main([*args, "--profile", "kobo", "--accept"]) == 0
    reached = frame.loc[frame["setuju"] == "ya", "KDEPUM"].nunique()
    with running_app(folder / "streamlit.log", ATLAS_DATASETS_DIR=str(folder / "datasets")) as url:
        yield url, reached


def test_the_first_screen_tells_the_survey_progress(browser, survey_app):
    url, reached = survey_app
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(url)
    map_frame(page)
    expect(page.get_by_text(f"survei 2026 ({SOURCE}): {reached} dari 285 desa/kelurahan")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    page.goto(f"{url}/?lang=en")
    map_frame(page)
    expect(page.get_by_text(f"survey 2026 ({SOURCE}): {reached} of 285 desa/kelurahan")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    page.context.close()


def test_the_data_page_offers_the_survey_form(browser, survey_app):
    url, _ = survey_app
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
    page.goto(url)
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Data & impor", exact=True).click()
    with page.expect_download(timeout=TIMEOUT_MS) as caught:
        page.get_by_role("button", name="Unduh formulir survei lapangan", exact=False).click()
    book = load_workbook(io.BytesIO(open(caught.value.path(), "rb").read()))
    assert book.sheetnames == ["survey", "choices", "settings"]
    codes = {row[1] for row in book["choices"].iter_rows(values_only=True) if row[0] == "KDEPUM"}
    assert len(codes) == 312  # Kota and Kabupaten
    page.context.close()
