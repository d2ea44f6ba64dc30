"""The map's year control, timed in Debian's Chromium: a slider step (input event until the
recoloured map is painted: two animation frames), a play frame (the recolouring of one tick, as
``map.atlasShowMs`` records it, plus the paint), and as the baseline a new map document of the
same view (a page load until the map's legend is drawn), interleaved over ROUNDS. The store is a
SYNTHETIC multi-year set (tests/test_series.py's versions) on the 312 desa of Kota and Kabupaten.
Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_years.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from measure import machine, spread  # noqa: E402

from tests.browser.appserver import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402
from tests.test_series import import_versions  # noqa: E402

ROUNDS, STEPS = 7, 10
MAP_FRAME = "iframe[title='streamlit_folium.st_folium'] >> visible=true >> nth=-1"
#: two animation frames (the recoloured map painted), or 5 s when a frame never comes
FRAMES = "new Promise(done => { requestAnimationFrame(() => requestAnimationFrame(done)); setTimeout(done, 5000); })"
STEP = f"""async (index) => {{
    const slider = document.querySelector('.atlas-year-slider');
    const began = performance.now();
    slider.value = String(index); slider.dispatchEvent(new Event('input'));
    await {FRAMES};
    return performance.now() - began; }}"""
PLAY_FRAME = f"""async () => {{
    const button = document.querySelector('.atlas-year-play');
    const box = document.querySelector('.atlas-years');
    const before = box.getAttribute('data-year');
    button.click();
    for (let waited = 0; box.getAttribute('data-year') === before && waited < 5000; waited += 5) {{
        await new Promise(done => setTimeout(done, 5));
    }}
    const began = performance.now();
    await {FRAMES};
    const paint = performance.now() - began;
    button.click();  // pause
    return window.map.atlasShowMs + paint; }}"""


def main() -> None:
    print(f"machine: {machine()}, Debian chromium headless")
    with tempfile.TemporaryDirectory() as folder:
        datasets = Path(folder) / "datasets"
        import os

        os.environ["ATLAS_DATASETS_DIR"] = str(datasets)
        import_versions(Path(folder))
        with running_app(Path(folder) / "app.log", ATLAS_DATASETS_DIR=str(datasets)) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            view = f"{url}/?view=labour&measure=pekerja&region=all&dataset=years&lang=en&year=2017"
            steps, frames, loads = [], [], []

            def load() -> float:
                began = time.perf_counter()
                page.goto(view)
                map_frame = page.frame_locator(MAP_FRAME)
                map_frame.locator(".atlas-years").wait_for(timeout=120_000)
                map_frame.locator(".atlas-legend").wait_for(timeout=120_000)
                map_frame.locator("body").evaluate(f"() => {FRAMES}")
                return (time.perf_counter() - began) * 1000

            load()  # warm: the server builds the layers and the series once
            for number in range(ROUNDS):
                print(f"round {number + 1} of {ROUNDS}", file=sys.stderr, flush=True)
                frame = page.frame_locator(MAP_FRAME).locator("body")
                for step in range(STEPS):
                    steps.append(frame.evaluate(STEP, step % 4))
                frame.evaluate(STEP, 0)
                for _ in range(3):
                    frames.append(frame.evaluate(PLAY_FRAME))
                loads.append(load())
            browser.close()
    print(f"\n312 desa, 4 years, {ROUNDS} interleaved rounds")
    print(f"  slider step (input -> painted): {spread(steps, 'ms', 1)}")
    print(f"  play frame (recolour + paint): {spread(frames, 'ms', 1)}")
    print(f"  baseline, a new map document of the same view (page load -> map drawn): {spread(loads, 'ms', 1)}")
    print(f"  step / new document, medians: {statistics.median(steps) / statistics.median(loads):.4f}")


if __name__ == "__main__":
    main()
