"""Several app servers over one PostgreSQL store: an editor's import on server A shows in the
latest view of a visitor on server B, without a restart (B's caches are keyed by the database's
change counter). The database is a throwaway PostgreSQL/PostGIS cluster started by the tests;
the imported count is synthetic."""

import pytest

from tests.browser.appserver import running_app
from tests.browser.conftest import EDITOR, EDITOR_PASSWORD, click_unit, screenshot
from tests.browser.test_app import MAP_FRAME, map_frame
from tests.browser.test_app_latest import KAUMAN, import_as_editor, read_details
from tests.conftest import write_text


@pytest.fixture(scope="module")
def two_servers(mirror, postgres_cluster, tmp_path_factory):
    """Servers A and B, each with a datasets folder of its own that neither may touch, on one database."""
    from atlas.data.store.postgres import PostgresStore, migrate
    from atlas.intake.editors import hash_password

    url = postgres_cluster.database()
    migrate(url, create=True)
    PostgresStore(url).save_editors({EDITOR: hash_password(EDITOR_PASSWORD)})
    folder = tmp_path_factory.mktemp("two-servers")
    settings = {"ATLAS_DATABASE_URL": url}
    with (
        running_app(folder / "a.log", ATLAS_DATASETS_DIR=str(folder / "a"), **settings) as server_a,
        running_app(folder / "b.log", ATLAS_DATASETS_DIR=str(folder / "b"), **settings) as server_b,
    ):
        yield server_a, server_b, folder


def test_an_import_on_one_server_shows_on_the_other(browser, two_servers, layers_all, tmp_path):
    server_a, server_b, folder = two_servers
    kauman = layers_all.desa.set_index("KDEPUM").loc[KAUMAN, "geometry"]
    visitor = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    visitor.goto(server_b)
    map_frame(visitor)
    details_shown = visitor.get_by_test_id("stTable").filter(has_text=KAUMAN)
    click_unit(visitor, visitor.locator(MAP_FRAME), kauman, shows=details_shown)
    assert read_details(visitor, KAUMAN)["Pekerja"] == "434"  # Tabel 1 (2017), before the import

    upload = write_text(tmp_path / "kauman_2031.csv", f"kode;pelaku_usaha;pekerja\n{KAUMAN};52;612\n")  # synthetic
    import_as_editor(browser, server_a, upload, 2031, "Survei 2031 (synthetic test)")

    visitor.reload()  # a new page load on server B, which was never restarted
    map_frame(visitor)
    click_unit(visitor, visitor.locator(MAP_FRAME), kauman, shows=details_shown)
    details = read_details(visitor, KAUMAN)
    assert (details["Pekerja"], details["Tahun"]) == ("612", "2031")
    screenshot(visitor, "two-servers-after-import")
    assert not (folder / "a").exists() and not (folder / "b").exists()  # everything went to the database
