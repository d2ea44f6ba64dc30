"""The Environment view in a real browser: upload a GeoTIFF (labelled synthetic, written here),
see the raster map beside the batik map, the scatter plot with its correlation."""

import numpy as np
import pyogrio
import rasterio
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_app import TIMEOUT_MS, map_frame
from tests.conftest import write_geotiff

FRAMES = "iframe[title='streamlit_folium.st_folium']"


def synthetic_elevation(path, layers_all):
    """Elevation rising from north to south over Pekalongan (synthetic)."""
    minx, miny, maxx, maxy = layers_all.desa.total_bounds
    rows, cols = int((maxy - miny + 0.02) / 0.002) + 1, int((maxx - minx + 0.02) / 0.002) + 1
    data = np.repeat(np.arange(rows, dtype="float32")[:, None], cols, axis=1)
    return write_geotiff(path, data, (minx, miny, maxx, maxy))


def test_environment_view(page, layers_all, tmp_path):
    raster = synthetic_elevation(tmp_path / "elevasi.tif", layers_all)
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Lingkungan", exact=True).click()
    page.get_by_text("Unggah sebuah GeoTIFF untuk memulai.").wait_for(timeout=TIMEOUT_MS)
    page.locator("input[type='file']").first.set_input_files(str(raster))
    expect(page.get_by_text("Raster menutup 312 wilayah penuh, 0 sebagian, 0 tidak sama sekali.")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(page.locator(FRAMES)).to_have_count(2, timeout=TIMEOUT_MS)
    titles = [page.frame_locator(FRAMES).nth(i).locator(".atlas-legend-title") for i in range(2)]
    expect(titles[0]).to_have_text("rata-rata raster, band 1", timeout=TIMEOUT_MS)
    expect(titles[1]).to_have_text("Pelaku usaha", timeout=TIMEOUT_MS)
    expect(page.frame_locator(FRAMES).nth(0).locator("path.leaflet-interactive")).to_have_count(312)
    expect(page.get_by_text("Korelasi (Pearson r, 11 wilayah berdata)")).to_be_visible(timeout=TIMEOUT_MS)
    screenshot(page, "view-environment")
    with page.expect_download(timeout=TIMEOUT_MS) as caught:
        page.get_by_role("button", name="Unduh lapisan gabungan (GeoPackage)").click()
    joined = pyogrio.read_dataframe(caught.value.path(), layer="desa")
    assert len(joined) == 312 and {"r_mean", "r_coverage", "pekerja"} <= set(joined.columns)
    meta = dict(pyogrio.read_dataframe(caught.value.path(), layer="metadata", read_geometry=False).values)
    assert meta["raster"] == "elevasi.tif"


def test_a_raster_without_crs_is_refused(page, tmp_path):
    path = tmp_path / "nocrs.tif"
    with rasterio.open(path, "w", driver="GTiff", width=5, height=5, count=1, dtype="float32") as dst:
        dst.write(np.ones((1, 5, 5), dtype="float32"))
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Lingkungan", exact=True).click()
    page.get_by_text("Unggah sebuah GeoTIFF untuk memulai.").wait_for(timeout=TIMEOUT_MS)
    page.locator("input[type='file']").first.set_input_files(str(path))
    expect(page.get_by_text("Raster tidak dapat dipakai; tidak ada yang disimpan.")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("nocrs.tif has no coordinate reference system")).to_be_visible()
