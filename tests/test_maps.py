"""Map building without a browser: offline assets, legend, tooltips and escaping."""

import re

import pandas as pd
import pytest

from atlas import fields
from atlas.cli import main
from atlas.fields import CODE_FIELD
from atlas.render import assets
from atlas.render.maps import MapChoice, build_map, classify_layer, feature_properties, legend_spec, standalone_html
from atlas.render.topology import browser_topology


@pytest.fixture(scope="module")
def desa_topology(layers_all):
    return browser_topology(layers_all.desa, CODE_FIELD["desa"])


def resource_links(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)


def test_app_map_loads_libraries_from_the_local_server(layers_all, desa_topology):
    html = build_map(layers_all.desa, desa_topology, MapChoice()).get_root().render()
    links = resource_links(html)
    assert links and all(link.startswith(assets.APP_STATIC_URL) for link in links)
    for link in links:
        assert (assets.node_modules() / link.removeprefix(assets.APP_STATIC_URL)).is_file()


def test_standalone_map_is_self_contained(layers_all, desa_topology):
    html = standalone_html(layers_all.desa, desa_topology, MapChoice(), ["Tabel 1"])
    assert resource_links(html) == []
    assert "L.geoJSON" in html and "topojson.feature" in html
    assert html.count('"id":"') >= 312


def test_legend_has_classes_units_and_no_data(layers_all):
    choice = MapChoice(field="pekerja", scheme="fisher_jenks", k=5, lang="en")
    classification, colours = classify_layer(layers_all.desa, choice)
    spec = legend_spec(classification, colours, choice)
    assert spec["title"] == "Workers" and spec["subtitle"] == "people"
    assert len(spec["items"]) == 6 and spec["items"][-1]["label"] == "No data"
    assert spec["items"][-1]["dashed"]


def test_tooltips_and_no_data_fill(layers_all):
    choice = MapChoice(field="pekerja", lang="id")
    classification, colours = classify_layer(layers_all.desa, choice)
    props = feature_properties(layers_all.desa, classification, colours, choice)
    assert props["33.75.01.1008"]["lines"][-1] == "Pekerja: 1.468 orang"
    assert props["33.75.02.1004"]["lines"][0] == "Kauman (kelurahan)"
    assert props["33.26.16.2016"]["fill"] is None
    assert props["33.26.16.2016"]["lines"][-1] == "Pekerja: Tidak ada data"


def test_text_from_data_is_never_markup(layers_all, desa_topology):
    layer = layers_all.desa.copy()
    layer.loc[layer["KDEPUM"] == "33.75.02.1004", "WADMKD"] = "<img src=x onerror=alert(1)>"
    html = standalone_html(layer, desa_topology, MapChoice(), ["<script>alert(2)</script>"])
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html


def test_cli_writes_a_standalone_map(mirror, tmp_path, capsys):
    out = tmp_path / "labour.html"
    assert main(["map", "--view", "labour", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert resource_links(html) == [] and "Pekerja" in html
    assert main(["map", "--view", "labour", "--out", str(out)]) == 2
    assert main(["map", "--view", "labour", "--measure", "pelaku_usaha", "--out", str(tmp_path / "x.html")]) == 2
    assert "not part of the labour view" in capsys.readouterr().err


def test_tables_are_translated(layers_all):
    from atlas.data.indicators import load_totals
    from atlas.render.presentation import totals_table, unit_details, view_table

    table = view_table(layers_all.desa, "desa", "labour", "en")
    assert {"Village", "Workers", "Workers per producer", "Data status"} <= set(table.columns)
    assert set(table["Data status"]) == {"reported", "partial", "no data"}
    assert list(totals_table(load_totals(), "en").columns)[:3] == ["Area", "Indicator", "Value"]
    details = dict(unit_details(layers_all.desa, "desa", "33.75.01.1008", "id"))
    assert details["Pekerja"] == "1.468" and details["Status data"] == "sebagian"


def test_tables_show_numbers_per_language_and_a_dash_for_no_data(layers_all):
    """Indonesian: 1.468 and 25,3; English: 1,468 and 25.3; a unit without counts: a dash, never
    None or nan. Expected cells are written here from the layer's own values."""
    from atlas.render.presentation import NO_VALUE, view_table

    desa = layers_all.desa.reset_index(drop=True)
    for lang, thousands, point in (("id", ".", ","), ("en", ",", ".")):
        cells = view_table(desa, "desa", "labour", lang)
        workers, ratio = (cells[fields.label(f, lang)] for f in ("pekerja", "pekerja_per_pelaku"))
        for i, row in desa.iterrows():
            if pd.isna(row["pekerja"]):
                assert workers[i] == NO_VALUE and ratio[i] == NO_VALUE
                continue
            whole = f"{int(row['pekerja']):,}".replace(",", thousands)
            assert workers[i] == whole
            assert ratio[i] == f"{row['pekerja_per_pelaku']:.1f}".replace(".", point)
        assert not cells.isin(["None", "nan", "<NA>"]).any().any()
        assert cells.attrs["numbers"] == [
            fields.label(f, lang) for f in ("pekerja", "pekerja_per_km2", "pekerja_per_pelaku")
        ]
