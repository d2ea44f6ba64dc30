"""Uploading counts in the app: a new dataset version, whose text from the file is shown
literally everywhere (never run as markup)."""

import json

from playwright.sync_api import expect

from tests.browser.conftest import EDITOR, EDITOR_PASSWORD
from tests.browser.test_app import MAP_FRAME, TIMEOUT_MS, map_frame
from tests.conftest import write_text

HOSTILE = "<img src=x onerror=alert(1)>"


def test_upload_creates_a_dataset_shown_as_text(page, app_url, tmp_path):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # labelled synthetic counts, older than 2017 so the default dataset of other tests stays 2017
    upload = write_text(
        tmp_path / "hitungan.csv", "Desa/Kelurahan;Kecamatan;Pelaku usaha;Pekerja\nKauman;Pekalongan Timur;12;1.234\n"
    )
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Data & impor", exact=True).click()
    page.get_by_text("Muat data jumlah baru (Bappeda)").wait_for(timeout=TIMEOUT_MS)
    assert page.locator("input[type='file']").count() == 0  # a visitor has no import control
    page.get_by_label("Nama editor").fill(EDITOR)
    page.get_by_label("Kata sandi").fill("bukan-kata-sandinya")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("Nama atau kata sandi salah.")).to_be_visible(timeout=TIMEOUT_MS)
    assert page.locator("input[type='file']").count() == 0
    page.get_by_label("Kata sandi").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text(f"Masuk sebagai editor {EDITOR}.")).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("input[type='file']").first.set_input_files(str(upload))
    expect(page.get_by_label("Simpan pemetaan kolom sebagai profil")).to_be_visible(timeout=TIMEOUT_MS)  # columns
    page.get_by_label("Tahun data").fill("2010")  # inside the form: taken when the form is submitted
    page.get_by_label("Sumber data", exact=True).fill(HOSTILE)
    page.get_by_role("button", name="Impor sebagai data baru").click()
    expect(page.get_by_text("Diimpor: 1 baris, 1 desa/kelurahan, sebagai data 2010.")).to_be_visible(timeout=TIMEOUT_MS)
    # the same year and source again: refused until the editor ticks "replace"
    page.locator("input[type='file']").first.set_input_files(str(upload))
    page.get_by_role("button", name="Impor sebagai data baru").click()
    expect(page.get_by_text("Sudah ada data 2010 dari sumber ini.", exact=False)).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_text("Ganti versi yang sudah ada (tahun dan sumber sama)").click()
    page.locator("input[type='file']").first.set_input_files(str(upload))
    page.get_by_role("button", name="Impor sebagai data baru").click()
    expect(page.get_by_text("Diimpor: 1 baris, 1 desa/kelurahan, sebagai data 2010.")).to_be_visible(timeout=TIMEOUT_MS)

    expect(page.get_by_test_id("stTable").filter(has_text=HOSTILE)).to_be_visible()  # the version list
    expect(page.get_by_text("Jejak perubahan (audit)")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").last).to_contain_text(EDITOR)
    expect(page.get_by_test_id("stDataFrame").last).to_contain_text("ganti")  # the action, in Indonesian
    page.goto(app_url)
    map_frame(page)
    page.get_by_role("combobox", name="Data (tahun: sumber)").click()
    page.get_by_role("option", name=f"2010: {HOSTILE}").click()
    sources = page.get_by_test_id("stTable").filter(has_text=HOSTILE)
    expect(sources).to_be_visible(timeout=TIMEOUT_MS)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".atlas-sources")).to_contain_text(HOSTILE, timeout=TIMEOUT_MS)
    assert page.locator("img[src='x']").count() == 0
    assert frame.locator("img[src='x']").count() == 0
    assert dialogs == []


def test_an_editor_loads_a_business_directory_after_its_report(page, tmp_path, app_datasets):
    """A synthetic directory (two batik businesses in units that Tabel 1 reports, older than 2017,
    so the latest view of the other tests stays as it is); names never shown back."""
    upload = write_text(
        tmp_path / "direktori.csv",
        "Nama Usaha;Nama Desa;Kec;Jml TK\nUsahaRahasia Satu;Kauman;Pekalongan Timur;7\n"
        "UsahaRahasia Dua;Jenggot;Pekalongan Selatan;\n",
    )
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Data & impor", exact=True).click()
    page.get_by_label("Nama editor").fill(EDITOR)
    page.get_by_label("Kata sandi").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("Muat direktori usaha (Bappeda)")).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("input[type='file']").nth(1).set_input_files(str(upload))
    expect(page.get_by_role("button", name="Periksa (tanpa menyimpan)")).to_be_visible(timeout=TIMEOUT_MS)
    year = page.get_by_label("Tahun data").nth(1)
    year.fill("2009")
    year.press("Tab")  # outside a form: the value is sent when the field loses focus
    page.get_by_label("Sumber data", exact=True).nth(1).fill("Direktori uji (synthetic test)")
    accept = page.get_by_role("button", name="Terima laporan dan simpan")
    expect(accept).to_be_disabled(timeout=TIMEOUT_MS)  # only after the report
    page.get_by_role("button", name="Periksa (tanpa menyimpan)").click()
    expect(page.get_by_text("2 baris usaha, 0 tersaring keluar", exact=False)).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("2 ditempatkan, 0 tidak dapat ditempatkan", exact=False)).to_be_visible()
    expect(accept).to_be_enabled()
    page.get_by_label("Simpan pemetaan kolom sebagai profil").last.fill("uji_direktori")
    page.get_by_role("button", name="Simpan profil").last.click()
    expect(page.get_by_text("Profil uji_direktori disimpan.")).to_be_visible(timeout=TIMEOUT_MS)
    saved = json.loads((app_datasets / "profiles" / "uji_direktori.json").read_text(encoding="utf-8"))
    assert saved == {"namadesa": "name", "kec": "kecamatan", "jmltk": "workers", "namausaha": "business"}
    accept = page.get_by_role("button", name="Terima laporan dan simpan")
    expect(accept).to_be_enabled(timeout=TIMEOUT_MS)
    accept.click()
    expect(page.get_by_text("Diimpor: 2 baris, 2 desa/kelurahan, sebagai data 2009.")).to_be_visible(timeout=TIMEOUT_MS)
    assert "UsahaRahasia" not in page.content()


def test_streamlits_own_words_speak_the_visitors_language(page, tmp_path):
    """The form hint and the refusal of a file over the limit are Streamlit's own words: on an
    Indonesian page they are Indonesian (issue 30, point 5; issue 28, point 3)."""
    too_big = tmp_path / "terlalu_besar.csv"  # synthetic: 6 MB of one repeated row
    too_big.write_text("kode;pelaku_usaha;pekerja\n" + "33.75.02.1004;1;2\n" * 350_000, encoding="utf-8")
    map_frame(page)
    page.get_by_test_id("stSidebar").get_by_text("Data & impor", exact=True).click()
    page.get_by_label("Nama editor").fill(EDITOR)
    expect(page.get_by_text("Tekan Enter untuk mengirim formulir")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_label("Kata sandi").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text(f"Masuk sebagai editor {EDITOR}.")).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("input[type='file']").first.set_input_files(str(too_big))
    expect(page.get_by_text("Berkas paling besar 5.0MB", exact=False)).to_be_visible(timeout=TIMEOUT_MS)
    body = page.locator("body").inner_text()
    assert "File must be" not in body and "Press Enter" not in body
