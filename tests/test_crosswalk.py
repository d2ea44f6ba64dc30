"""Name matching through the normalised form and the 2015 merger crosswalk."""

import pandas as pd
import pytest

from atlas.data.crosswalk import NameIndex, normalise_name
from atlas.data.indicators import load_crosswalk_table
from atlas.errors import AmbiguousUnitError, AtlasError, UnknownUnitError


@pytest.fixture(scope="module")
def index(mirror):
    from atlas.data.boundaries import load_boundaries

    return NameIndex(load_boundaries(["33.75", "33.26"]).desa, load_crosswalk_table())


@pytest.mark.parametrize(
    "raw, normal",
    [
        ("Kali Baros", "kalibaros"),
        ("KALIBAROS", "kalibaros"),
        (" Kali-Baros. ", "kalibaros"),
        ("Pasir Kraton Kramat", "pasirkratonkramat"),
    ],
)
def test_normalise_name(raw, normal):
    assert normalise_name(raw) == normal


@pytest.mark.parametrize(
    "name, code",
    [
        ("Kauman", "33.75.02.1004"),
        ("Sugihwaras", "33.75.02.1004"),
        ("Pasirsari", "33.75.01.1008"),
        ("kraton kidul", "33.75.01.1008"),
        ("Banyurip Alit", "33.75.04.1002"),
        ("Krapyak Lor", "33.75.03.1002"),
        ("Pringlangu", "33.75.01.1012"),
        ("Sapuro", "33.75.01.1004"),
        ("Kali baros", "33.75.02.1012"),
        ("Medono", "33.75.01.1002"),
    ],
)
def test_old_and_current_names_resolve(index, name, code):
    assert index.resolve(name, "33.75") == code


def test_split_kelurahan_is_ambiguous(index):
    with pytest.raises(AmbiguousUnitError, match="Kuripan Lor.*33.75.04.1006, 33.75.04.1008"):
        index.resolve("Kuripan Lor", "33.75")


def test_unknown_name_suggests_the_nearest(index):
    with pytest.raises(UnknownUnitError, match="did you mean 'Kauman'"):
        index.resolve("Kaumann", "33.75")


def test_names_are_scoped_to_the_kabkota(index):
    # Kabupaten Pekalongan has its own desa Kauman (Wiradesa); Pasirsari is a Kota name only
    assert index.resolve("Kauman", "33.26") == "33.26.16.2016"
    with pytest.raises(AtlasError, match="not a desa/kelurahan of 33.26"):
        index.resolve("Pasirsari", "33.26")


def test_old_names_of_a_merged_unit(index):
    assert sorted(index.old_names("33.75.02.1004")) == ["Kauman", "Keputran", "Sampangan", "Sugihwaras"]


def test_crosswalk_codes_outside_the_boundaries_are_ignored():
    villages = pd.DataFrame({"KDEPUM": ["33.99.01.1001"], "WADMKD": ["Alpha"]})
    crosswalk = pd.DataFrame({"kode": ["33.99.01.1001", "33.99.01.1009"], "kelurahan_lama": ["Old Alpha", "Gone"]})
    idx = NameIndex(villages, crosswalk)
    assert idx.resolve("old alpha", "33.99") == "33.99.01.1001"
    with pytest.raises(UnknownUnitError):
        idx.resolve("Gone", "33.99")
