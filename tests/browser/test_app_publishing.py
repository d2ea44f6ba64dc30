"""Publishing in the browser: the app's download area offers the publication package, and the
OGC API service's HTML pages open in Debian's Chromium."""

import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.test_app import TIMEOUT_MS, map_frame
from tests.ogcserver import running_ogc_server


def test_the_publication_package_downloads(page):
    map_frame(page)
    with page.expect_download(timeout=TIMEOUT_MS) as caught:
        page.get_by_role("button", name="Paket publikasi", exact=False).click()
    with zipfile.ZipFile(caught.value.path()) as package:
        names = set(package.namelist())
    assert {"datapackage/datapackage.json", "desa_terbaru.xml", "desa_terbaru.gpkg", "desa_terbaru.zip"} <= names


@pytest.fixture(scope="module")
def ogc_url(mirror, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ogc-html")
    with running_ogc_server(folder / "ogc.log", ATLAS_DATASETS_DIR=str(folder / "datasets")) as url:
        yield url


def test_the_ogc_landing_page_and_a_collection_open_as_html(browser, ogc_url):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID").new_page()
    response = page.goto(f"{ogc_url}/?f=html")
    assert response.status == 200
    expect(page.get_by_text("Atlas Batik Pekalongan").first).to_be_visible(timeout=TIMEOUT_MS)
    page.goto(f"{ogc_url}/collections?f=html")
    expect(page.get_by_text("Jumlah terbaru per wilayah: Desa/kelurahan").first).to_be_visible(timeout=TIMEOUT_MS)
    english = page.goto(f"{ogc_url}/collections/desa_terbaru?f=html&lang=en")
    assert english.status == 200
    expect(page.get_by_text("Latest count per unit: Village (desa/kelurahan)").first).to_be_visible(timeout=TIMEOUT_MS)
    page.context.close()
