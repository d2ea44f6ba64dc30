"""The app in Debian's Chromium: time to the first production map after the server is ready,
time to redraw on a view switch, and the map payload against GeoDataFrame.explore().

Run with ``make bench`` (or with ATLAS_DATA_MIRROR set and the set-up done).
"""

from __future__ import annotations

import platform
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from atlas.analysis.layers import build_layers
from atlas.fields import CODE_FIELD
from atlas.render.maps import MapChoice, build_map, json_for_script
from atlas.render.topology import browser_topology
from tests.browser.appserver import launch_chromium, running_app

MAP_FRAME = "iframe[title='streamlit_folium.st_folium'] >> visible=true >> nth=-1"
SWITCHES = 6
VISITS = 4


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
    """A new visitor's page; returns it and the seconds until 312 polygons and the legend show."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    opened = time.perf_counter()
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".atlas-legend-title", has_text="Pelaku usaha").wait_for(timeout=60_000)
    frame.locator("path.leaflet-interactive").nth(311).wait_for(timeout=60_000)
    return page, time.perf_counter() - opened


def browser_timings(url: str) -> tuple[list[float], list[float]]:
    """Seconds to the drawn map for successive new visitors (the first on a fresh server), and
    seconds to redraw after each view switch."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        visits = [open_map(browser, url) for _ in range(VISITS)]
        page = visits[-1][0]
        switches = []
        for i in range(SWITCHES):
            label, title = ("Tenaga kerja", "Pekerja") if i % 2 == 0 else ("Produksi", "Pelaku usaha")
            start = time.perf_counter()
            page.get_by_test_id("stSidebar").get_by_text(label, exact=True).click()
            page.frame_locator(MAP_FRAME).locator(".atlas-legend-title", has_text=title).wait_for(timeout=60_000)
            page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").nth(311).wait_for(timeout=60_000)
            switches.append(time.perf_counter() - start)
        browser.close()
    return [seconds for _, seconds in visits], switches


def main() -> None:
    sizes = payload_sizes()
    with tempfile.TemporaryDirectory() as folder, running_app(Path(folder) / "app.log") as url:
        loads, switches = browser_timings(url)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, Debian chromium headless")
    print(f"production map (312 polygons + legend), first visitor after the server is ready: {loads[0]:.2f} s")
    print(f"  later visitors, median of {len(loads) - 1}: {statistics.median(loads[1:]):.2f} s")
    print(
        f"view switch redraw, median of {SWITCHES}: {statistics.median(switches):.2f} s "
        f"(min {min(switches):.2f}, max {max(switches):.2f})"
    )
    for name, size in sizes.items():
        print(f"{name}: {size / 1000:.0f} KB")
    ratio = sizes["atlas map document"] / sizes["GeoDataFrame.explore()"]
    print(f"atlas map / explore(): {ratio:.0%}")


if __name__ == "__main__":
    main()
