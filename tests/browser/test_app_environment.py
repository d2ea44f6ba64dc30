"""The Environment view in a real browser: upload a GeoTIFF (labelled synthetic, written here),
see the raster map beside the batik map, the scatter plot with its correlation."""

import numpy as np
import pyogrio
import rasterio
import shapely
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import click_unit, map_settled, screenshot
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
    page.get_by_text("Unggah sebuah GeoTIFF atau berkas vektor untuk memulai.").wait_for(timeout=TIMEOUT_MS)
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
    page.get_by_text("Unggah sebuah GeoTIFF atau berkas vektor untuk memulai.").wait_for(timeout=TIMEOUT_MS)
    page.locator("input[type='file']").first.set_input_files(str(path))
    expect(page.get_by_text("Raster tidak dapat dipakai; tidak ada yang disimpan.", exact=False)).to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(page.get_by_text("tanpa CRS", exact=False)).to_be_visible()  # what the error means, in Indonesian
    page.get_by_text("Rincian teknis").click()  # the technical detail, folded away
    expect(page.get_by_text("nocrs.tif has no coordinate reference system")).to_be_visible()


def test_a_flood_polygon_upload_gives_each_kelurahan_its_flooded_share(page, layers_all, tmp_path):
    """A synthetic GeoJSON flood polygon over Kauman and its neighbours; the details of Kauman
    show the share computed independently here with geopandas.overlay."""
    import geopandas as gpd

    kauman = layers_all.desa.set_index("KDEPUM").loc[["33.75.02.1004"]].reset_index()
    centre = kauman.to_crs("EPSG:32749").representative_point().iloc[0]
    flood = gpd.GeoDataFrame(geometry=[centre.buffer(250)], crs="EPSG:32749")
    path = tmp_path / "rob.geojson"
    flood.to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    units = kauman.to_crs("EPSG:32749")
    pieces = gpd.overlay(units[["KDEPUM", "geometry"]], gpd.read_file(path).to_crs("EPSG:32749"), how="intersection")
    expected = 100 * pieces.area.sum() / units.area.iloc[0]
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Lingkungan", exact=True).click()
    page.get_by_text("Unggah sebuah GeoTIFF atau berkas vektor untuk memulai.").wait_for(timeout=TIMEOUT_MS)
    page.locator("input[type='file']").first.set_input_files(str(path))
    expect(page.get_by_text("1 fitur poligon dari rob.geojson")).to_be_visible(timeout=TIMEOUT_MS)
    env_map = page.frame_locator(FRAMES).nth(0)
    expect(env_map.locator(".atlas-legend-title")).to_have_text("Bagian tertutup vektor", timeout=TIMEOUT_MS)
    expect(env_map.locator(".atlas-sources")).to_contain_text("vektor rob.geojson", timeout=TIMEOUT_MS)
    expect(page.get_by_text("Korelasi (Pearson r", exact=False)).to_be_visible(timeout=TIMEOUT_MS)  # drawn
    details = page.get_by_test_id("stTable").filter(has_text="33.75.02.1004")
    for _ in range(3):  # a click landing while Streamlit swaps the map document is lost: click again
        click_unit(page, page.locator(FRAMES).nth(0), kauman.geometry.iloc[0], zoom=16)
        try:
            details.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            continue
    details.wait_for(timeout=TIMEOUT_MS)
    cells = details.evaluate(
        "table => [...table.querySelectorAll('tr')].map(tr => [...tr.querySelectorAll('th, td')].map(c => c.innerText.trim()))"
    )
    rows = {row[0]: row[-1] for row in cells if len(row) >= 2}
    assert rows["Bagian tertutup vektor"] == f"{expected:.1f}".replace(".", ",")
    screenshot(page, "view-environment-vector")


def test_a_categorical_raster_maps_class_shares_not_a_mean_of_codes(page, layers_all, tmp_path):
    """Two land-cover classes (synthetic): north half class 1, south half class 2."""
    minx, miny, maxx, maxy = layers_all.desa.total_bounds
    rows, cols = int((maxy - miny + 0.02) / 0.002) + 1, int((maxx - minx + 0.02) / 0.002) + 1
    data = np.where(np.arange(rows)[:, None] < rows // 2, 1, 2).repeat(cols, axis=1).astype("float32")
    raster = write_geotiff(tmp_path / "tutupan.tif", data, (minx, miny, maxx, maxy))
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Lingkungan", exact=True).click()
    page.locator("input[type='file']").first.set_input_files(str(raster))
    expect(page.get_by_text("Raster kategori (mis. tutupan lahan)")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_text("Raster kategori (mis. tutupan lahan)").click()
    share = page.get_by_role("combobox", name="Bagian kelas yang dipetakan")
    expect(share).to_be_visible(timeout=TIMEOUT_MS)
    assert page.get_by_role("combobox", name="Statistik").count() == 0  # no mean of class codes
    title = page.frame_locator(FRAMES).nth(0).locator(".atlas-legend-title")
    expect(title).to_have_text("Bagian kelas 1, band 1", timeout=TIMEOUT_MS)
    scale = page.frame_locator(FRAMES).nth(0).locator(".leaflet-control-scale-line")
    expect(scale).to_have_count(1)  # metric only: no miles or feet
    assert scale.inner_text().endswith(("km", " m"))


def test_the_two_maps_move_together(page, layers_all, tmp_path):
    raster = synthetic_elevation(tmp_path / "elevasi.tif", layers_all)
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Lingkungan", exact=True).click()
    page.locator("input[type='file']").first.set_input_files(str(raster))
    expect(page.get_by_text("Korelasi (Pearson r", exact=False)).to_be_visible(timeout=TIMEOUT_MS)
    frames = [page.frame_locator(FRAMES).nth(i).locator("body") for i in range(2)]
    for frame in frames:  # both maps drawn and framed before the pan
        map_settled(frame)
    kauman = shapely.point_on_surface(layers_all.desa.set_index("KDEPUM").loc["33.75.02.1004", "geometry"])
    frames[0].evaluate(
        "(body, [lat, lon]) => window.map.setView([lat, lon], 14, {animate: false})", [kauman.y, kauman.x]
    )
    lat, lon, zoom = frames[1].evaluate(
        "() => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()]; }"
    )
    assert zoom == 14 and abs(lat - kauman.y) < 1e-6 and abs(lon - kauman.x) < 1e-6
    frames[1].evaluate("() => window.map.setZoom(12, {animate: false})")  # and back the other way
    frames[0].element_handle().owner_frame().wait_for_function("() => window.map.getZoom() === 12", timeout=TIMEOUT_MS)


HIDDEN_UNITS_JS = """() => {
    const boxes = [...document.querySelectorAll('.atlas-legend, .atlas-sources')].map(e => e.getBoundingClientRect());
    const hidden = [...document.querySelectorAll('path.leaflet-interactive')].filter(path => {
        if (path.getAttribute('fill-opacity') === '0' || !path.getAttribute('fill')) return false;
        const r = path.getBoundingClientRect();
        const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;  // the unit's middle
        return boxes.some(b => x > b.left && x < b.right && y > b.top && y < b.bottom);
    });
    return [hidden.length, document.querySelectorAll('path.leaflet-interactive').length];
}"""


def test_legends_and_sources_hide_no_unit_in_the_half_width_maps(page, layers_all, tmp_path):
    """Every kelurahan/desa has a raster value here, so none may sit under a legend or source box."""
    raster = synthetic_elevation(tmp_path / "elevasi.tif", layers_all)
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Lingkungan", exact=True).click()
    page.locator("input[type='file']").first.set_input_files(str(raster))
    expect(page.locator(FRAMES)).to_have_count(2, timeout=TIMEOUT_MS)
    raster_map = page.frame_locator(FRAMES).nth(0)
    map_settled(raster_map.locator("body"))  # framed after the legend is drawn and again once both maps are there
    hidden, drawn = raster_map.locator("body").evaluate(HIDDEN_UNITS_JS.replace("() =>", "(body) =>", 1))
    assert drawn == 312 and hidden == 0


def test_a_raster_of_years_pairs_each_year_with_that_years_batik(page, layers_all, tmp_path):
    """Three bands of one constant each (synthetic), named 2017, 2019 and 2021 by the visitor."""
    minx, miny, maxx, maxy = layers_all.desa.total_bounds
    raster = tmp_path / "tahunan.tif"
    transform = rasterio.transform.from_bounds(minx - 0.01, miny - 0.01, maxx + 0.01, maxy + 0.01, 80, 80)
    with rasterio.open(
        raster, "w", driver="GTiff", width=80, height=80, count=3, dtype="float32", crs="EPSG:4326", transform=transform
    ) as dst:
        for band in (1, 2, 3):
            dst.write(np.full((80, 80), 10.0 * band, dtype="float32"), band)
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Lingkungan", exact=True).click()
    page.get_by_text("Unggah sebuah GeoTIFF atau berkas vektor untuk memulai.").wait_for(timeout=TIMEOUT_MS)
    page.locator("input[type='file']").first.set_input_files(str(raster))
    field = page.get_by_label("Pita raster ini tahun?", exact=False)
    field.fill("2017, 2019, 2021")
    field.press("Enter")
    title = page.frame_locator(FRAMES).nth(0).locator(".atlas-legend-title")
    expect(title).to_have_text("rata-rata raster, 2021", timeout=TIMEOUT_MS)
    page.get_by_test_id("stSlider").last.get_by_role("slider").press("ArrowLeft")  # to 2019
    expect(title).to_have_text("rata-rata raster, 2019", timeout=TIMEOUT_MS)
    # Tabel 1 (2017) is the only count: in 2019 the 11 kelurahan with data show it, carried two years
    expect(page.get_by_text("11 wilayah memakai nilai batik tahun terdekat sebelumnya.")).to_be_visible(
        timeout=TIMEOUT_MS
    )
