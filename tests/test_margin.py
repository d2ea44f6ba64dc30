"""The value-chain margin model: hand-computed examples, invariants, invalid inputs, and the
per-kelurahan estimates."""

import csv

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas.analysis.margin import (
    ACTORS,
    PARAMETERS,
    SCENARIO,
    SOURCED,
    MarginInputError,
    MarginModel,
    Value,
    load_model,
    margin_layer,
    margin_metadata,
)
from tests.conftest import write_text


def model_from(prices: dict, units: dict | None = None) -> MarginModel:
    """A labelled synthetic model: prices {actor: (in, out)}, units {actor: n}."""
    units = units or {a: 10 for a in ACTORS}
    values = {}
    for actor in ACTORS:
        values[(actor, "harga_masuk")] = Value(prices[actor][0], SCENARIO, "test", 2019)
        values[(actor, "harga_keluar")] = Value(prices[actor][1], SCENARIO, "test", 2019)
        values[(actor, "unit_per_bulan")] = Value(units[actor], SCENARIO, "test", 2019)
    return MarginModel(values)


SIMPLE = {"pemasok": (10, 30), "buruh": (0, 20), "pengrajin": (20, 50), "pemilik": (80, 150), "pedagang": (150, 200)}


def test_hand_computed_example():
    table = model_from(SIMPLE, {"pemasok": 5, "buruh": 8, "pengrajin": 4, "pemilik": 2, "pedagang": 3}).table()
    # margins per piece: 20, 20, 30, 70, 50; final price 200
    assert table["margin_per_unit"].to_dict() == {
        "pemasok": 20,
        "buruh": 20,
        "pengrajin": 30,
        "pemilik": 70,
        "pedagang": 50,
    }
    assert table["margin_per_bulan"].to_dict() == {
        "pemasok": 100,
        "buruh": 160,
        "pengrajin": 120,
        "pemilik": 140,
        "pedagang": 150,
    }
    assert table.loc["pemilik", "bagian_harga_akhir"] == pytest.approx(70 / 200)


def test_shares_close_with_the_outside_inputs():
    model = model_from(SIMPLE)
    assert model.table()["bagian_harga_akhir"].sum() + model.outside_share() == pytest.approx(1.0)
    assert model.outside_share() == pytest.approx(10 / 200)


def test_default_file_keeps_the_papers_ordering():
    model = load_model()
    shares = model.table()["bagian_harga_akhir"]
    assert shares.idxmax() == "pemilik" and shares.idxmin() == "buruh"
    monthly = model.table()["margin_per_bulan"]
    assert monthly.idxmax() == "pemilik" and monthly.idxmin() == "buruh"
    assert model.values[("buruh", "harga_keluar")].status == SOURCED
    assert all(v.status in (SOURCED, SCENARIO) and v.source for v in model.values.values())


def test_changed_wage_is_a_scenario_and_links_follow():
    model = load_model().with_inputs({("buruh", "harga_keluar"): 120_000})
    assert model.values[("buruh", "harga_keluar")].status == SCENARIO
    assert model.get("pengrajin", "harga_masuk") == 120_000
    assert model.table().loc["pengrajin", "margin_per_unit"] == 230_000 - 120_000


@settings(max_examples=100, deadline=None)
@given(
    supplier_in=st.integers(0, 10**5),
    supplier_margin=st.integers(0, 10**5),
    wage=st.integers(0, 10**5),
    maker_margin=st.integers(0, 10**5),
    owner_margin=st.integers(0, 10**6),
    trader_margin=st.integers(1, 10**6),
    units=st.lists(st.integers(0, 500), min_size=5, max_size=5),
)
def test_invariants(supplier_in, supplier_margin, wage, maker_margin, owner_margin, trader_margin, units):
    supplier_out = supplier_in + supplier_margin
    maker_out = wage + maker_margin
    owner_in = supplier_out + maker_out
    owner_out = owner_in + owner_margin
    prices = {
        "pemasok": (supplier_in, supplier_out),
        "buruh": (0, wage),
        "pengrajin": (wage, maker_out),
        "pemilik": (owner_in, owner_out),
        "pedagang": (owner_out, owner_out + trader_margin),
    }
    model = model_from(prices, dict(zip(ACTORS, units)))
    table = model.table()
    assert table["bagian_harga_akhir"].sum() + model.outside_share() == pytest.approx(1.0)
    assert (table["margin_per_unit"] >= 0).all()
    # monotone: a higher wage raises the worker's margin and lowers the maker's, nothing else
    higher = model.with_inputs({("buruh", "harga_keluar"): wage + maker_margin}).table()
    assert higher.loc["buruh", "margin_per_unit"] >= table.loc["buruh", "margin_per_unit"]
    assert higher.loc["pengrajin", "margin_per_unit"] <= table.loc["pengrajin", "margin_per_unit"]
    # a higher final price raises the trader's margin and lowers every other share
    dearer = model.with_inputs({("pedagang", "harga_keluar"): owner_out + trader_margin + 1000}).table()
    assert dearer.loc["pedagang", "margin_per_unit"] > table.loc["pedagang", "margin_per_unit"]
    assert (dearer["bagian_harga_akhir"].drop("pedagang") <= table["bagian_harga_akhir"].drop("pedagang") + 1e-12).all()


@pytest.mark.parametrize(
    "change, message",
    [
        ({("pemasok", "harga_masuk"): -5}, r"pemasok.harga_masuk = -5 must be a number of 0 or more"),
        ({("pemasok", "harga_masuk"): 40}, r"pemasok sells at 30 below what it pays \(40\)"),
        (
            {("pemilik", "harga_masuk"): 70},
            r"the shares do not close: pemilik pays 70 per piece but pemasok \+ pengrajin receive 80",
        ),
        (
            {("pedagang", "harga_masuk"): 0, ("pedagang", "harga_keluar"): 0, ("pemilik", "harga_keluar"): 0},
            r"final price",
        ),
    ],
)
def test_invalid_models(change, message):
    values = model_from(SIMPLE).values
    for key, number in change.items():
        values[key] = Value(number, SCENARIO, "test", 2019)
    with pytest.raises(MarginInputError, match=message):
        MarginModel(values)


def parameter_file(tmp_path, edit):
    from atlas.analysis.margin import PARAMETERS_FILE

    with open(PARAMETERS_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows = edit(rows)
    text = "aktor,parameter,nilai,status,sumber,tahun\n" + "".join(
        f"{r['aktor']},{r['parameter']},{r['nilai']},{r['status']},x,{r['tahun']}\n" for r in rows
    )
    return write_text(tmp_path / "p.csv", text)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda rows: rows + [{**rows[0], "aktor": "tengkulak"}], r"line 17: unknown actor 'tengkulak'"),
        (lambda rows: rows + [rows[0]], r"pemasok.harga_masuk is given twice"),
        (lambda rows: rows[1:], r"missing inputs: pemasok.harga_masuk"),
        (
            lambda rows: [{**r, "nilai": "banyak"} if i == 4 else r for i, r in enumerate(rows)],
            r"buruh.harga_keluar value 'banyak'",
        ),
        (lambda rows: [{**r, "status": "guess"} if i == 0 else r for i, r in enumerate(rows)], r"status 'guess'"),
    ],
)
def test_invalid_parameter_files(tmp_path, edit, message):
    with pytest.raises(MarginInputError, match=message):
        load_model(parameter_file(tmp_path, edit))


def test_unknown_input_change():
    with pytest.raises(MarginInputError, match="unknown input"):
        load_model().with_inputs({("tengkulak", "harga_masuk"): 1})


def test_margin_layer_per_kelurahan(layers_all):
    model = load_model()
    layer = margin_layer(layers_all.desa, model, 2019).set_index("KDEPUM")
    kauman = layer.loc["33.75.02.1004"]
    worker_month = 100_000 * 12
    owner_month = (700_000 - 430_000) * 100
    assert kauman["tagihan_upah"] == 434 * worker_month
    assert kauman["margin_pemilik"] == 30 * owner_month
    assert kauman["rasio_upah_margin"] == pytest.approx(434 * worker_month / (30 * owner_month))
    assert kauman["persen_umk"] == pytest.approx(100 * worker_month / 1_906_000)
    assert "Tribun Jateng" in kauman["asal_tagihan_upah"] and "scenario" in kauman["asal_tagihan_upah"]
    kab = layer[layer["KDPKAB"] == "33.26"]
    assert kab["tagihan_upah"].isna().all() and kab["persen_umk"].isna().all()
    assert kab["asal_persen_umk"].isna().all()
    with pytest.raises(MarginInputError, match="no UMK for 2030"):
        margin_layer(layers_all.desa, model, 2030)


def test_umk_by_region(mirror):
    from atlas.analysis.layers import build_layers

    layer = margin_layer(
        build_layers("kabupaten").desa.assign(
            pekerja=pd.array([10] * 285, dtype="Int64"), pelaku_usaha=pd.array([1] * 285, dtype="Int64")
        ),
        load_model(),
        2017,
    )
    assert np.allclose(layer["umk"], 1_583_697.50)  # Kabupaten's UMK, not the Kota's


def test_metadata_labels_every_input():
    meta = margin_metadata(load_model(), 2019)
    assert len([k for k in meta if "." in k]) == len(ACTORS) * len(PARAMETERS)
    assert meta["buruh.harga_keluar"].startswith("100,000; Tribun Jateng")
    assert meta["pemilik.harga_keluar"].startswith("700,000; SCENARIO")
