"""Many users of one server: an editor's import reaches another visitor's latest view at once,
other units keep their earlier values with their years, and the audit trail records it. A server
of its own (its own datasets folder), so the newer synthetic version does not change what the
other browser tests see."""

import pytest
from playwright.sync_api import expect

from tests.browser.appserver import running_app
from tests.browser.conftest import EDITOR, EDITOR_PASSWORD, click_unit, editors_file, screenshot
from tests.browser.test_app import MAP_FRAME, TIMEOUT_MS, map_frame
from tests.conftest import write_text

KAUMAN, JENGGOT = "33.75.02.1004", "33.75.04.1004"


@pytest.fixture(scope="module")
def own_app(mirror, tmp_path_factory):
    folder = tmp_path_factory.mktemp("latest-app")
    editors = editors_file(folder)
    with running_app(
        folder / "streamlit.log", ATLAS_DATASETS_DIR=str(folder / "datasets"), ATLAS_EDITORS_FILE=str(editors)
    ) as url:
        yield url


def read_details(page, code: str) -> dict[str, str]:
    table = page.get_by_test_id("stTable").filter(has_text=code)
    table.wait_for(timeout=TIMEOUT_MS)
    cells = table.evaluate(
        "t => [...t.querySelectorAll('tr')].map(tr => [...tr.querySelectorAll('th, td')].map(c => c.innerText.trim()))"
    )
    return {row[0]: row[-1] for row in cells if len(row) >= 2}


def import_as_editor(browser, url: str, upload, year: int, source: str) -> None:
    """Sign in as the test editor on the app at ``url`` and import ``upload`` (one unit) as a new version."""
    editor = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    editor.goto(url)
    map_frame(editor)
    editor.get_by_test_id("stSidebar").get_by_text("Data & impor", exact=True).click()
    editor.get_by_label("Nama editor").fill(EDITOR)
    editor.get_by_label("Kata sandi").fill(EDITOR_PASSWORD)
    editor.get_by_role("button", name="Masuk").click()
    expect(editor.get_by_text(f"Masuk sebagai editor {EDITOR}.")).to_be_visible(timeout=TIMEOUT_MS)
    editor.locator("input[type='file']").first.set_input_files(str(upload))
    expect(editor.get_by_role("button", name="Download as CSV")).to_be_visible(timeout=TIMEOUT_MS)  # columns shown
    editor.get_by_label("Tahun data").first.fill(str(year))
    editor.get_by_label("Sumber data", exact=True).first.fill(source)
    editor.get_by_role("button", name="Impor sebagai data baru").click()
    expect(editor.get_by_text(f"Diimpor: 1 baris, 1 desa/kelurahan, sebagai data {year}.")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    editor.context.close()


def test_an_editors_import_reaches_another_visitor_at_once(browser, own_app, layers_all, tmp_path):
    desa = layers_all.desa.set_index("KDEPUM")
    upload = write_text(tmp_path / "kauman_2030.csv", f"kode;pelaku_usaha;pekerja\n{KAUMAN};41;501\n")  # synthetic
    visitor = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    visitor.goto(own_app)
    map_frame(visitor)
    click_unit(visitor, visitor.locator(MAP_FRAME), desa.loc[KAUMAN, "geometry"])
    assert read_details(visitor, KAUMAN)["Pekerja"] == "434"  # 2017, before the import

    import_as_editor(browser, own_app, upload, 2030, "Survei 2030 (synthetic test)")

    # the other visitor, without reloading: the next interaction shows the new latest count
    visitor.get_by_test_id("stSidebar").get_by_text("Tenaga kerja", exact=True).click()
    expect(visitor.get_by_text("Tahun bercampur", exact=False)).to_be_visible(timeout=TIMEOUT_MS)
    map_frame(visitor)
    click_unit(visitor, visitor.locator(MAP_FRAME), desa.loc[KAUMAN, "geometry"])
    kauman = read_details(visitor, KAUMAN)
    assert (kauman["Pekerja"], kauman["Tahun"]) == ("501", "2030")
    map_frame(visitor)
    click_unit(visitor, visitor.locator(MAP_FRAME), desa.loc[JENGGOT, "geometry"])
    jenggot = read_details(visitor, JENGGOT)
    assert (jenggot["Pekerja"], jenggot["Tahun"]) == ("788", "2017")  # Tabel 1, kept with its year
    screenshot(visitor, "latest-after-import")

    # a visitor sees the versions and their sources, but not the audit trail with editors' names
    visitor.get_by_test_id("stSidebar").get_by_text("Data & impor", exact=True).click()
    expect(visitor.get_by_test_id("stTable").filter(has_text="Survei 2030")).to_be_visible(timeout=TIMEOUT_MS)
    expect(visitor.get_by_text("Jejak perubahan (audit)")).to_have_count(0)
    assert EDITOR not in visitor.locator("section.main, [data-testid='stMain']").first.inner_text()
    assert visitor.locator("input[type='file']").count() == 0  # a visitor still has no import control
