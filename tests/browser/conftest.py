"""Fixtures: the app on a free localhost port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.appserver import AppStartError, launch_chromium, running_app
from tests.conftest import REPO_ROOT

ARTIFACTS = REPO_ROOT / "artifacts"


@pytest.fixture(scope="session")
def app_datasets(tmp_path_factory):
    """The app's own datasets folder (uploads in the browser tests go there)."""
    return tmp_path_factory.mktemp("app") / "datasets"


EDITOR, EDITOR_PASSWORD = "bappeda", "kata-sandi-uji-123"  # a test editor of the test app only


def editors_file(folder: Path) -> Path:
    """An editors file in ``folder`` holding the test editor only (the embedded store's file)."""
    from atlas.data.store.files import FolderStore
    from atlas.intake.editors import hash_password

    path = folder / "editors.json"
    FolderStore(folder / "datasets", path).save_editors({EDITOR: hash_password(EDITOR_PASSWORD)})
    return path


@pytest.fixture(scope="session")
def app_url(mirror, app_datasets):
    """URL of the Streamlit app, started by this fixture and stopped after the session; it has
    its own datasets folder and one editor (``EDITOR``)."""
    folder = app_datasets.parent
    editors = editors_file(folder)
    try:
        with running_app(
            folder / "streamlit.log", ATLAS_DATASETS_DIR=str(app_datasets), ATLAS_EDITORS_FILE=str(editors)
        ) as url:
            yield url
    except AppStartError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except AppStartError as exc:
            pytest.fail(str(exc))
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh page on the app; records every request that leaves localhost."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.external_requests = []
    page.on("request", lambda request: _note_external(page, request.url))
    page.goto(app_url)
    yield page
    context.close()


def _note_external(page, url: str) -> None:
    if url.startswith(("http://", "https://")) and not url.startswith(("http://127.0.0.1", "http://localhost")):
        page.external_requests.append(url)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as a test artifact in artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size
    # Streamlit scrolls inside its main block: open the window to the block's height, then back
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]')?.scrollHeight || 0")
    if size and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(height, 12_000)})
        next_frames_drawn(page)
    page.screenshot(path=path, full_page=True)
    if size and height > size["height"]:
        page.set_viewport_size(size)
    return path


def next_frames_drawn(page) -> None:
    """Wait until the browser has drawn two more frames (what a new window size needs)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def map_settled(frame_body, timeout_ms: int = 60_000) -> None:
    """Wait until the map in the frame of ``frame_body`` (a locator of its body) has framed its
    data for the last time (``atlasSettled``, set by the map's own script)."""
    frame = frame_body.element_handle(timeout=timeout_ms).owner_frame()
    frame.wait_for_function("() => window.map && window.map.atlasSettled === true", timeout=timeout_ms)


def page_quiet(page, quiet_ms: int = 300, timeout_ms: int = 60_000) -> None:
    """Wait until the app has finished its run and nothing on the page has changed for
    ``quiet_ms`` (the last elements of a run are drawn)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout_ms)
    page.evaluate(
        """([quiet, limit]) => new Promise((done, fail) => {
            let timer = setTimeout(finish, quiet);
            const watcher = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(finish, quiet); });
            const give_up = setTimeout(() => { watcher.disconnect(); fail(new Error("the page never went quiet")); }, limit);
            function finish() { clearTimeout(give_up); watcher.disconnect(); done(); }
            watcher.observe(document.body, {subtree: true, childList: true, characterData: true});
        })""",
        [quiet_ms, timeout_ms],
    )


def click_unit(page, frame_element, geometry, zoom: int = 15, shows=None) -> None:
    """Zoom the map in ``frame_element`` (a locator of its iframe) to a unit and click it once,
    when the app's run is over and the map has framed itself; with ``shows`` (a locator), wait
    until it appears (the caller still asserts on it)."""
    _click_once(page, frame_element, geometry, zoom)
    if shows is not None:
        shows.wait_for(timeout=30_000)


def _click_once(page, frame_element, geometry, zoom: int) -> None:
    import shapely

    point = shapely.point_on_surface(geometry)
    frame_element.scroll_into_view_if_needed()
    page_quiet(page)  # the app's run is over: the map it drew stays
    map_settled(frame_element.content_frame.locator("body"))  # and frames itself no more: the click lands
    xy = (
        frame_element.element_handle()
        .content_frame()
        .evaluate(
            "([lat, lon, zoom]) => { window.map.setView([lat, lon], zoom, {animate: false});"
            " const p = window.map.latLngToContainerPoint([lat, lon]);"
            " const r = document.getElementById(window.map.getContainer().id).getBoundingClientRect();"
            " return [p.x + r.left, p.y + r.top]; }",
            [point.y, point.x, zoom],
        )
    )
    box = frame_element.bounding_box()
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
