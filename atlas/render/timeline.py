"""The map through the years: every unit's value for each year with data (``analysis.series``)
travels in the map document, and a year control in the map (a slider with play and pause)
recolours the units in the browser, with no new document. Classes are computed over every year
together, so one colour means one value in every year; a unit showing the closest earlier year's
value has a dotted outline, and its tooltip says which year it shows."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from atlas import fields
from atlas.analysis.series import YES
from atlas.fields import CODE_FIELD
from atlas.render.classify import NO_CLASS, Classification
from atlas.render.i18n import t
from atlas.render.maps import CARRIED_COLOUR, MapChoice, classify_layer, json_for_script, unit_title
from atlas.render.measures import format_value

PLAY_STEP_MS = 900  # how long each year stays on the map while playing


@dataclasses.dataclass(frozen=True)
class TimeMap:
    """What the map of one year needs, and what the year control switches between."""

    layer: gpd.GeoDataFrame  # the units with the start year's values
    classes: tuple[Classification, list[str]]  # over every year, restricted to the start year's rows
    carried: list[str]  # units of the start year showing an earlier year's value
    control: MacroElement
    legend_extra: list[dict]


def time_map(
    layer: gpd.GeoDataFrame, series: gpd.GeoDataFrame, choice: MapChoice, year: int | None, *, linked: bool = False
) -> TimeMap:
    """The map of ``year`` (default: the last) from ``series`` (one row per unit and year) on the
    units of ``layer``, with the control that shows any other year of the series; unless the
    year was ``linked`` (a link asked for it), the browser reopens on the year last shown."""
    code = CODE_FIELD[choice.level]
    years = sorted(int(y) for y in series["tahun"].unique())
    year = year if year in years else years[-1]
    series = series.sort_values([code, "tahun"]).reset_index(drop=True)
    classification, colours = classify_layer(series, choice)  # every year together
    names = {row[code]: unit_title(row, choice.level, choice.lang) for row in layer.to_dict("records")}
    units: dict[str, dict[str, dict]] = {}
    for row, cls in zip(series.to_dict("records"), classification.classes):
        units.setdefault(row[code], {})[str(row["tahun"])] = {
            "fill": None if cls == NO_CLASS else colours[cls],
            "carried": row["dibawa"] == YES,
            "lines": [*names.get(row[code], [row[code]]), *value_lines(row, choice)],
        }
    start = (series["tahun"] == year).to_numpy()
    at_start = series[start].set_index(code)
    at_start = at_start.assign(  # the details and the table say which year a carried value is from
        tahun=[
            t("year.carried", choice.lang, shown=origin, asked=asked) if carried == YES else asked
            for origin, asked, carried in zip(at_start["tahun_data"], at_start["tahun"], at_start["dibawa"])
        ]
    )
    shown = layer.drop(columns=[c for c in (choice.field, "tahun", "sumber") if c in layer]).join(
        at_start[[choice.field, "tahun", "sumber"]], on=code
    )
    classes = dataclasses.replace(classification, classes=classification.classes[start])
    carried = list(at_start.index[at_start["dibawa"] == YES])
    labels = {"play": t("year.play", choice.lang), "pause": t("year.pause", choice.lang)}
    control = YearControl(
        {"years": years, "start": year, "linked": linked, "units": units, "labels": labels, "step_ms": PLAY_STEP_MS}
    )
    extra = [
        {"colour": "#ffffff", "label": t("year.carried_legend", choice.lang), "border": CARRIED_COLOUR},
    ]
    return TimeMap(shown, (classes, colours), carried, control, extra)


def value_lines(row: dict, choice: MapChoice) -> list[str]:
    """A unit's tooltip lines for one year: the value, and the year it comes from when carried."""
    value = row[choice.field]
    if pd.isna(value):
        return [f"{fields.label(choice.field, choice.lang)}: {t('no_data', choice.lang)} ({row['tahun']})"]
    unit = fields.unit(choice.field, choice.lang)
    shown = f"{format_value(value, fields.decimals(choice.field), choice.lang)} {unit}".strip()
    lines = [f"{fields.label(choice.field, choice.lang)}: {shown}"]
    if row["dibawa"] == YES:
        lines.append(t("year.carried", choice.lang, shown=row["tahun_data"], asked=row["tahun"]))
    else:
        lines.append(f"{t('year', choice.lang)}: {row['tahun']}")
    return lines


class YearControl(MacroElement):
    """A Leaflet control under the map's top edge: the year, a slider over the years with data,
    play/pause. Moving it recolours the units (``map.atlasShowYear(year)``) and writes ``year=``
    into the page's address, so a copied link opens that year."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
    var spec = {{ this.spec_json }};
    var map = {{ this._parent.get_name() }};
    var control = L.control({position: "topright"});
    var slider, label, button, timer = null;
    function show(year) {
        var began = performance.now();
        var layer = map.atlasLayer;
        layer.eachLayer(function (item) {
            var unit = spec.units[item.feature.id] || {};
            var value = unit[String(year)];
            var p = item.feature.properties;
            p.fill = value ? value.fill : null;
            p.carried = value ? value.carried : false;
            p.year = year;  // a click tells the server which year was shown
            if (value) { p.lines = value.lines; }
            layer.resetStyle(item);
        });
        map.atlasYear = year;
        map.atlasShowMs = performance.now() - began;  // how long the last recolouring took (benchmarks)
        label.textContent = String(year);
        slider.value = String(spec.years.indexOf(year));
        control.getContainer().setAttribute("data-year", String(year));
        try {
            window.parent.sessionStorage.setItem("atlasYear", String(year));
            var url = new URL(window.parent.location.href);
            url.searchParams.set("year", String(year));
            window.parent.history.replaceState(window.parent.history.state, "", url.toString());
        } catch (error) { /* a map opened on its own has no page around it */ }
    }
    function stop() {
        if (timer !== null) { clearInterval(timer); timer = null; }
        button.textContent = spec.labels.play;
        control.getContainer().setAttribute("data-playing", "no");
    }
    control.onAdd = function () {
        var box = L.DomUtil.create("div", "atlas-control atlas-years");
        box.style.cssText = "background:rgba(255,255,255,0.92);padding:6px 8px;font:12px/1.4 sans-serif;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,0.3)";
        label = document.createElement("span"); label.className = "atlas-year-label";
        label.style.cssText = "font-weight:bold;margin-right:6px";
        slider = document.createElement("input"); slider.type = "range"; slider.className = "atlas-year-slider";
        slider.min = "0"; slider.max = String(spec.years.length - 1); slider.step = "1";
        slider.style.cssText = "vertical-align:middle;width:" + Math.max(80, 40 * spec.years.length) + "px";
        button = document.createElement("button"); button.type = "button"; button.className = "atlas-year-play";
        button.style.cssText = "margin-left:6px";
        box.appendChild(label); box.appendChild(slider); box.appendChild(button);
        slider.addEventListener("input", function () { stop(); show(spec.years[Number(slider.value)]); });
        button.addEventListener("click", function () {
            if (timer !== null) { stop(); return; }
            var index = spec.years.indexOf(map.atlasYear);
            if (index >= spec.years.length - 1) { index = -1; }  // from the first year again
            button.textContent = spec.labels.pause;
            box.setAttribute("data-playing", "yes");
            timer = setInterval(function () {
                index += 1;
                show(spec.years[index]);
                if (index >= spec.years.length - 1) { stop(); }
            }, spec.step_ms);
        });
        L.DomEvent.disableClickPropagation(box);
        return box;
    };
    control.addTo(map);
    map.atlasShowYear = show;
    stop();
    var start = spec.start;
    try {  // the year this visitor last looked at, unless a link asked for one
        var last = Number(window.parent.sessionStorage.getItem("atlasYear"));
        if (!spec.linked && spec.years.indexOf(last) >= 0) { start = last; }
    } catch (error) { /* no page around the map */ }
    show(start);
})();
{% endmacro %}
""")

    def __init__(self, spec: dict):
        super().__init__()
        self._name = "YearControl"
        self.spec_json = json_for_script(spec)
