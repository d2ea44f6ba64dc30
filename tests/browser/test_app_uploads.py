"""An upload is removed from the server's disk when the visitor's session ends (issue 30,
point 5): a server with a one-second reconnect window, a synthetic GeoTIFF uploaded, the tab
closed, and the session folder gone."""

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.appserver import running_app
from tests.browser.test_app import TIMEOUT_MS, map_frame
from tests.browser.test_app_environment import synthetic_elevation

DISCONNECTED_SESSION_TTL_S = 1


@pytest.fixture(scope="module")
def short_lived_sessions(mirror, tmp_path_factory):
    folder = tmp_path_factory.mktemp("uploads-app")
    with running_app(
        folder / "streamlit.log",
        ATLAS_DATASETS_DIR=str(folder / "datasets"),
        STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL=str(DISCONNECTED_SESSION_TTL_S),
    ) as url:
        yield url


def session_folders() -> set[Path]:
    root = Path(os.environ["ATLAS_CACHE_DIR"]) / "uploads"
    return {p for p in root.glob("*-session-*")} if root.is_dir() else set()


def test_an_upload_goes_when_its_session_ends(browser, short_lived_sessions, layers_all, tmp_path):
    before = session_folders()
    visitor = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = visitor.new_page()
    page.goto(short_lived_sessions)
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Lingkungan", exact=True).click()
    page.locator("input[type='file']").first.set_input_files(str(synthetic_elevation(tmp_path / "e.tif", layers_all)))
    expect(page.get_by_text("Raster menutup 312 wilayah penuh", exact=False)).to_be_visible(timeout=TIMEOUT_MS)
    new = session_folders() - before
    assert len(new) == 1 and any(new.pop().glob("*.tif"))
    visitor.close()  # the tab is closed: the session ends once its reconnect window has passed
    deadline = time.monotonic() + 60
    while session_folders() - before and time.monotonic() < deadline:
        time.sleep(DISCONNECTED_SESSION_TTL_S + 0.5)
        other = browser.new_context().new_page()  # another visitor's arrival lets the server expire old sessions
        other.goto(short_lived_sessions)
        other.get_by_test_id("stSidebar").wait_for(timeout=TIMEOUT_MS)
        other.context.close()
    assert session_folders() - before == set()
