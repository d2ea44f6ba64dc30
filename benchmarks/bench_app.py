"""The app in Debian's Chromium: time to the first production map after the server is ready,
time to redraw on a view switch, and the map payload against GeoDataFrame.explore().

Run with ``make bench`` (or with ATLAS_DATA_MIRROR set and the set-up done).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from atlas import fields
from atlas.analysis.layers import build_layers
from atlas.fields import CODE_FIELD
from atlas.render import i18n
from atlas.render.maps import MapChoice, build_map, json_for_script
from atlas.render.topology import browser_topology
from tests.browser.appserver import launch_chromium, running_app

sys.path.insert(0, str(Path(__file__).parent))
from measure import machine  # noqa: E402

MAP_FRAME = "iframe[title='streamlit_folium.st_folium'] >> visible=true >> nth=-1"
VISITS = 4
ROUNDS = 4
#: The views switched to in turn, and the legend title that says each is drawn.
TOUR = ("labour", "production", "margin", "production")
FIELDS = {
    "production": fields.label("pelaku_usaha", "id"),
    "labour": fields.label("pekerja", "id"),
    "margin": fields.label("rasio_upah_margin", "id"),
}


def payload_sizes() -> dict[str, int]:
    """Bytes of the rendered map document: the atlas map vs explore() of the same 312 units."""
    desa = build_layers("all").desa
    topology = browser_topology(desa, CODE_FIELD["desa"])
    atlas_html = build_map(desa, topology, MapChoice()).get_root().render()
    explore_html = desa.explore(column="pelaku_usaha").get_root().render()
    return {
        "atlas map document": len(atlas_html.encode()),
        "of which TopoJSON geometry": len(json_for_script(topology).encode()),
        "GeoDataFrame.explore()": len(explore_html.encode()),
    }


def open_map(browser, url: str):
    """A new visitor's page; returns it and the seconds (from the request) until Streamlit's
    front end shows, the script's first element (the title) shows, the map frame is attached,
    and 312 polygons and the legend are drawn."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    opened = time.perf_counter()
    page.goto(url)
    marks = []
    for selector in ("[data-testid=stApp]", "h1", MAP_FRAME):
        page.locator(selector).first.wait_for(state="attached", timeout=60_000)
        marks.append(time.perf_counter() - opened)
    drawn(page, FIELDS["production"])
    marks.append(time.perf_counter() - opened)
    return page, marks


def drawn(page, legend_title: str) -> None:
    """Wait until the map shows ``legend_title`` and all 312 units."""
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".atlas-legend-title", has_text=legend_title).wait_for(timeout=60_000)
    frame.locator("path.leaflet-interactive").nth(311).wait_for(timeout=60_000)


def switch(page, view: str) -> float:
    """Seconds from a click on a view in the sidebar to its map drawn."""
    start = time.perf_counter()
    page.get_by_test_id("stSidebar").get_by_text(i18n.t(f"view.{view}", "id"), exact=True).click()
    drawn(page, FIELDS[view])
    return time.perf_counter() - start


def browser_timings(url: str) -> tuple[list[list[float]], dict[str, list[float]]]:
    """The marks of successive new visitors (the first on a fresh server), and the seconds of
    each view switch, ROUNDS times in the order of ``TOUR``."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        visits = [open_map(browser, url) for _ in range(VISITS)]
        page = visits[-1][0]
        switches: dict[str, list[float]] = {view: [] for view in TOUR}
        for _ in range(ROUNDS):
            for view in TOUR:
                switches[view].append(switch(page, view))
        browser.close()
    return [marks for _, marks in visits], switches


def main() -> None:
    sizes = payload_sizes()
    with tempfile.TemporaryDirectory() as folder, running_app(Path(folder) / "app.log") as url:
        visits, switches = browser_timings(url)
    print(f"{time.strftime('%Y-%m-%d')}, machine: {machine()}, Debian chromium headless on the same machine")
    names = ("Streamlit front end shown", "title (script running)", "map frame attached", "312 units drawn")
    print("production map, first visitor after the server is ready: " + _marks(visits[0], names))
    later = [statistics.median(marks[i] for marks in visits[1:]) for i in range(len(names))]
    print(f"  later visitors, median of {len(visits) - 1}: " + _marks(later, names))
    for view, seconds in switches.items():
        print(
            f"switch to {view} until drawn, median of {len(seconds)}: {statistics.median(seconds):.2f} s "
            f"(min {min(seconds):.2f}, max {max(seconds):.2f})"
        )
    for name, size in sizes.items():
        print(f"{name}: {size / 1000:.0f} KB")
    ratio = sizes["atlas map document"] / sizes["GeoDataFrame.explore()"]
    print(f"atlas map / explore(): {ratio:.0%}")


def _marks(marks, names) -> str:
    return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in zip(names, marks))


if __name__ == "__main__":
    main()
