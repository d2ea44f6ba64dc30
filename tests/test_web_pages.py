"""Every page of the app run headless with Streamlit's AppTest: widget logic, labels in both
languages, and errors shown on the page (rendering itself is checked in tests/browser)."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT

TIMEOUT_S = 120


def map_page(view):
    from atlas.web import controls, map_page

    controls.language()
    map_page.render(view)


def margin_page():
    from atlas.web import controls, margin_page

    controls.language()
    margin_page.render()


def environment_page():
    from atlas.web import controls, environment_page

    controls.language()
    environment_page.render()


def data_page():
    from atlas.web import controls, data_page

    controls.language()
    data_page.render()


def run(function, *args) -> AppTest:
    app = AppTest.from_function(function, args=args, default_timeout=TIMEOUT_S)
    app.run()
    assert not app.exception, app.exception
    return app


def test_shell_opens_on_the_production_map_in_indonesian(mirror):
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    app.run()
    assert not app.exception
    assert app.title[0].value == "Atlas Batik Pekalongan"
    assert app.sidebar.selectbox(key="measure_production").value == "pelaku_usaha"
    app.sidebar.radio(key="lang").set_value("en").run()
    assert app.title[0].value == "Batik Atlas of Pekalongan"
    assert app.sidebar.selectbox(key="measure_production").label == "Measure"


@pytest.mark.parametrize(
    "view, measures",
    [
        ("production", ["Pelaku usaha", "Pelaku usaha per km²"]),
        ("labour", ["Pekerja", "Pekerja per km²", "Pekerja per pelaku usaha"]),
    ],
)
def test_map_page_offers_the_views_measures_and_levels(mirror, view, measures):
    app = run(map_page, view)
    assert app.sidebar.selectbox(key=f"measure_{view}").options == measures
    assert app.sidebar.radio(key="level").options == ["Desa/kelurahan", "Kecamatan", "Kabupaten/kota"]
    app.sidebar.radio(key="level").set_value("kecamatan").run()
    headers = list(app.dataframe[0].value.columns)
    assert headers[0] == "Kode kecamatan" and "Status data" in headers


def test_user_breaks_that_are_not_numbers_are_reported(mirror):
    app = run(map_page, "production")
    app.sidebar.selectbox(key="scheme").set_value("user_defined").run()
    app.sidebar.text_input(key="breaks").set_value("10, lima puluh").run()
    assert not app.exception
    assert "Batas kelas harus angka" in app.sidebar.error[0].value


def test_compare_with_only_one_dataset_says_so(mirror):
    app = run(map_page, "labour")
    app.checkbox(key="compare").check().run()
    assert any("Hanya ada satu data" in info.value for info in app.info)


def test_margin_page_refuses_an_invalid_input_and_keeps_the_other_edits(mirror):
    app = run(margin_page)
    assert app.sidebar.selectbox(key="umk_year").value == 2019
    before = int(app.number_input(key="in_buruh_unit_per_bulan").value)
    app = app.number_input(key="in_buruh_unit_per_bulan").set_value(before + 10.0).run()  # a valid edit
    # the owner selling below what he pays: a negative margin is refused, the valid edit stays
    app.number_input(key="in_pemilik_harga_keluar").set_value(1000.0).run()
    assert not app.exception
    assert app.error[0].value.startswith(
        "1 masukan tidak sah dan tidak dipakai (yang lain tetap); rinciannya di bawah."
    )
    assert "Nilai rantai nilai tidak sah" in app.error[0].value
    assert "below what it pays" in app.code[0].value and "Pemilik" in app.code[0].value
    economics = app.dataframe[0].value
    worker = economics[economics["Pelaku rantai nilai"] == "Buruh batik"].iloc[0]
    assert worker["Kain per bulan"] == str(before + 10)  # the other edit was kept


def test_margin_page_formats_money_and_shares_and_states_a_uniform_measure(mirror):
    app = run(margin_page)
    economics = app.dataframe[0].value
    assert all(v.startswith("Rp ") and "." in v for v in economics["Harga jual / upah (Rp/kain)"] if v != "Rp 0")
    assert all(v.endswith(" %") and "," in v for v in economics.iloc[:, -1])
    app.sidebar.selectbox(key="measure_margin").set_value("persen_umk").run()
    assert not app.exception
    assert any("sama untuk setiap wilayah" in info.value for info in app.info)


def test_environment_page_waits_for_a_raster(mirror):
    app = run(environment_page)
    assert app.info[0].value == "Unggah sebuah GeoTIFF atau berkas vektor untuk memulai."
    assert app.sidebar.selectbox(key="measure_environment").options[0] == "Pelaku usaha"


def test_data_page_lists_versions_and_is_read_only_without_editors(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_EDITORS_FILE", str(tmp_path / "none.json"))
    app = run(data_page)
    versions = app.table[0].value
    assert list(versions.columns) == ["Tahun", "Sumber", "Diimpor (UTC)", "Dalam tampilan terbaru"] and 2017 in set(
        versions["Tahun"]
    )
    assert "atlas editors add" in app.info[0].value
    assert not app.get("file_uploader") and not app.text_input


def test_only_a_signed_in_editor_gets_the_import_form(mirror, tmp_path, monkeypatch):
    from atlas.intake.editors import add_editor

    monkeypatch.setenv("ATLAS_EDITORS_FILE", str(tmp_path / "editors.json"))
    add_editor("bappeda", "kata-sandi-uji-123")
    app = run(data_page)
    assert not app.get("file_uploader")  # a visitor: the sign-in form only
    app.text_input(key="sign_in_name").set_value("bappeda")
    app.text_input(key="sign_in_password").set_value("salah-sekali-123")
    app.button[0].click().run()
    assert app.error[0].value == "Nama atau kata sandi salah." and not app.get("file_uploader")
    app.text_input(key="sign_in_password").set_value("kata-sandi-uji-123")
    app.button[0].click().run()
    assert not app.exception
    assert app.caption[0].value == "Masuk sebagai editor bappeda." and app.get("file_uploader")
    assert app.checkbox(key="replace").label == "Ganti versi yang sudah ada (tahun dan sumber sama)"


def test_the_template_downloads_for_everyone(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_EDITORS_FILE", str(tmp_path / "none.json"))
    app = run(data_page)
    assert app.get("download_button")[0].proto.label == "Unduh templat isian (XLSX, semua desa/kelurahan)"


def failing_page():
    from atlas.errors import IndicatorTableError
    from atlas.web import controls
    from atlas.web.guard import guarded

    controls.language()

    def render():
        raise IndicatorTableError("counts_2100_x.csv, line 2: damaged (synthetic failure)")

    guarded(render)()


def test_a_failing_page_shows_a_message_not_a_traceback():
    app = run(failing_page)
    assert app.error[0].value == (
        "Data ini tidak dapat ditampilkan. Data lain tetap utuh; rinciannya ada di bawah. "
        "Tabel data rusak: baris, kolom dan isinya disebut di rincian."
    )
    assert "damaged (synthetic failure)" in app.code[0].value  # folded under the technical details
    assert app.expander[0].label == "Rincian teknis"


def faulty_page():
    from atlas.web import controls
    from atlas.web.guard import guarded

    controls.language()

    def render():
        return {}["pekerja"]  # a fault of the atlas itself (synthetic): a KeyError

    guarded(render)()


def test_a_fault_of_the_atlas_shows_a_plain_message_and_no_traceback():
    app = run(faulty_page)
    assert app.error[0].value.startswith("Halaman ini gagal karena kesalahan di atlas sendiri")
    assert not app.exception and not app.code  # no traceback, no technical text on the page


def test_data_page_reports_a_damaged_version_and_keeps_the_others(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path))
    (tmp_path / "counts_2100_rusak_0000.csv").write_text("KDEPUM\nx\n", encoding="utf-8")  # synthetic damage
    app = run(data_page)
    assert "counts_2100_rusak_0000" in app.warning[0].value
    assert 2017 in set(app.table[0].value["Tahun"])


def test_a_signed_in_editor_retires_and_restores_a_version(mirror, tmp_path, monkeypatch):
    from atlas.data.store import open_store
    from atlas.intake.importer import import_counts
    from tests.conftest import write_text

    monkeypatch.setenv("ATLAS_DATASETS_DIR", str(tmp_path / "datasets"))
    kauman = write_text(tmp_path / "k.csv", "kode;pelaku_usaha;pekerja\n33.75.02.1004;41;501\n")  # synthetic
    import_counts(kauman, 2024, "Survei (synthetic test)", region="kota")
    from atlas.intake.editors import add_editor

    monkeypatch.setenv("ATLAS_EDITORS_FILE", str(tmp_path / "editors.json"))
    add_editor("bappeda", "kata-sandi-uji-123")
    app = AppTest.from_function(data_page, default_timeout=120)
    app.session_state["editor"] = "bappeda"  # signed in (the sign-in itself is tested above)
    app.run()
    assert app.radio(key="manage_action").options == [
        "Keluarkan dari tampilan terbaru",
        "Masukkan ke tampilan terbaru",
        "Pensiunkan (tetap tersimpan)",
    ]
    app.radio(key="manage_action").set_value("retire")
    app.button(key="manage_apply").click().run()
    assert not app.exception and app.success[0].value.startswith("Selesai: 2024: Survei (synthetic test)")
    assert 2024 not in set(app.table[0].value["Tahun"])
    assert app.selectbox(key="restore_version").options == ["2024: Survei (synthetic test)"]
    app.button(key="restore_apply").click().run()
    assert 2024 in set(app.table[0].value["Tahun"]) and app.success[0].value.startswith("Selesai")
    assert [(r.tindakan, r.editor) for r in open_store().audit_records()[-2:]] == [
        ("retire", "bappeda"),
        ("restore", "bappeda"),
    ]


def test_a_link_selects_the_dataset_and_the_classification(mirror):
    app = AppTest.from_function(map_page, args=("production",), default_timeout=TIMEOUT_S)
    app.query_params.update({"dataset": "2017", "scheme": "equal_interval", "k": "4", "level": "kecamatan"})
    app.run()
    assert not app.exception
    sidebar = app.sidebar
    assert app.selectbox(key="dataset").value.year == 2017 and app.selectbox(key="dataset").value.kind == "tabel1"
    assert (sidebar.selectbox(key="scheme").value, sidebar.slider(key="k").value) == ("equal_interval", 4)
    assert sidebar.radio(key="level").value == "kecamatan"
    # the URL carries the view back
    assert {k: app.query_params[k] for k in ("dataset", "scheme", "k")} == {
        "dataset": "2017",
        "scheme": "equal_interval",
        "k": "4",
    }


def test_a_link_with_unknown_values_falls_back_to_the_defaults(mirror):
    app = AppTest.from_function(map_page, args=("production",), default_timeout=TIMEOUT_S)
    app.query_params.update({"dataset": "1850", "scheme": "<script>", "k": "99", "level": "provinsi"})
    app.run()
    assert not app.exception
    assert app.selectbox(key="dataset").value.kind == "latest"
    assert (app.sidebar.selectbox(key="scheme").value, app.sidebar.slider(key="k").value) == ("quantiles", 5)
    assert app.sidebar.radio(key="level").value == "desa"


def test_the_first_screen_tells_what_has_data_and_what_is_missing(mirror, layers_all):
    app = run(map_page, "production")
    story = " ".join(m.value for m in app.markdown)
    kota = layers_all.kabkota.set_index("KDPKAB").loc["33.75"]
    assert f"{kota['unit_berdata']} dari {kota['jumlah_unit']} desa/kelurahan berdata" in story
    assert "1.081 IKM batik (2016)" in story  # a published total beside the sums, Indonesian grouping
    assert "tidak ada hitungan per desa yang diterbitkan" in story and "645 IKM batik terdaftar (2019)" in story


def test_the_scatter_names_its_points_and_marks_the_selected_unit(layers_all):
    from atlas.render.presentation import scatter_chart

    layer = layers_all.desa.assign(r_mean=range(len(layers_all.desa)))  # a synthetic raster statistic
    chart = scatter_chart(layer, "desa", "r_mean", "pekerja", "rata-rata", "id", "33.75.02.1004")
    spec = chart.to_dict()
    data = chart.data
    assert len(data) == layers_all.desa["pekerja"].notna().sum()  # one point per unit with both values
    assert "Kauman" in set(data["nama"]) and data.loc[data["kode"] == "33.75.02.1004", "dipilih"].all()
    assert data["dipilih"].sum() == 1
    assert spec["encoding"]["tooltip"][0]["field"] == "nama"
    assert spec["encoding"]["color"]["condition"]["test"] == "datum.dipilih"
