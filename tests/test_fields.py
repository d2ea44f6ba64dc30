"""The field registry: one definition per field, and the docs generated from it."""

import pandas as pd
import pytest

from atlas import fields
from atlas.data.indicators import load_totals
from atlas.errors import ExportError, UnknownFieldError
from atlas.io import export
from atlas.io.dictionary import data_dictionary
from atlas.render.i18n import STRINGS
from tests.conftest import REPO_ROOT


def test_docs_data_dictionary_is_what_the_registry_generates():
    written = (REPO_ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert written == data_dictionary(), (
        "docs/data-dictionary.md differs from the registry: run "
        "`atlas dictionary --out docs/data-dictionary.md --force`"
    )


def test_registry_is_sound():
    assert fields.check_registry() == []
    names = [f.name for f in fields.FIELDS]
    assert len(names) == len(set(names))


def test_no_field_label_is_kept_in_the_interface_strings():
    assert not [key for key in STRINGS if key.split(".")[0] in ("field", "measure", "unit") and "." in key]


def test_every_exported_column_is_registered_or_a_published_total(layers_all):
    totals = set(load_totals()["kolom"])
    for level in fields.LEVELS:
        columns = export.export_frame(layers_all.level(level), level).columns.drop("geometry")
        unknown = [c for c in columns if not fields.is_known(c) and c not in totals]
        assert unknown == [], f"{level}: {unknown}"


def test_a_new_published_total_takes_its_shapefile_name_from_the_csv(monkeypatch):
    table = load_totals()
    extra = table.iloc[[0]].assign(kolom="usaha_survei_baru_2030", kolom_shp="ush_new30")
    monkeypatch.setattr(export.indicators, "load_totals", lambda: pd.concat([table, extra]))
    assert export.shapefile_names(["usaha_survei_baru_2030"]) == {"usaha_survei_baru_2030": "ush_new30"}


def test_unregistered_long_column_is_refused_with_a_pointer_to_the_registry():
    with pytest.raises(ExportError, match="register it in atlas/fields.py"):
        export.shapefile_names(["a_very_long_new_field"])


def test_unknown_field_is_a_clear_error_and_patterns_resolve():
    with pytest.raises(UnknownFieldError, match="not in the field registry"):
        fields.field("nonexistent")
    assert fields.label("r_frac_3", "en") == "Share of class 3"
    assert fields.label("pekerja", "id") == "Pekerja" and fields.unit("pekerja", "en") == "people"


def test_every_error_of_the_atlas_says_what_it_means_in_both_languages():
    """Each class of the AtlasError family (wherever it is defined) has its own message in
    Bahasa Indonesia and in English, so no error reaches a visitor in the other language."""
    import importlib
    import pkgutil

    import atlas
    from atlas.errors import AtlasError

    for module in pkgutil.walk_packages(atlas.__path__, "atlas."):
        if not module.name.startswith(("atlas.web", "atlas.__main__")):  # pages need a session; main runs
            importlib.import_module(module.name)
    family, pending = set(), [AtlasError]
    while pending:
        kind = pending.pop()
        family.add(kind)
        pending.extend(kind.__subclasses__())
    assert len(family) > 15
    missing = [k.__name__ for k in family if f"error.kind.{k.__name__}" not in STRINGS]
    assert missing == []
    for kind in family:
        entry = STRINGS[f"error.kind.{kind.__name__}"]
        assert entry["id"] and entry["en"] and entry["id"] != entry["en"]
