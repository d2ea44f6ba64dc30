"""Interactive choropleth maps (folium/Leaflet) of the atlas layers, with no CDN.

The geometry travels as a simplified, quantised TopoJSON (see ``topology``) decoded in the
browser by topojson-client; colours, tooltips and the legend are computed here. Every text that
reaches the page is set with ``textContent`` from escaped JSON, so names and sources from files
are shown as text and never run.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import cast

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from atlas import fields
from atlas.analysis.change import PARTIAL as PARTIAL_COMPARISON
from atlas.analysis.vectors import METRIC_CRS
from atlas.errors import OptionError
from atlas.fields import CODE_FIELD
from atlas.render import assets
from atlas.render.classify import (
    NO_CLASS,
    NO_DATA_COLOUR,
    Classification,
    classify,
    classify_diverging,
    diverging_colours,
    palette_colours,
)
from atlas.render.i18n import t
from atlas.render.measures import format_value
from atlas.render.topology import OBJECT_NAME

FILL_OPACITY = 0.8
FLAG_COLOUR = "#b2182b"  # outline of units compared with a partial count
CARRIED_COLOUR = "#000000"  # dotted outline of units showing the value of an earlier year
BASEMAPS = ("none", "osm")
MAX_DRAWN_FEATURES = 5000  # of a user's vector layer; the statistics use every feature
DRAWN_TOLERANCE_M = 10  # simplification of the drawn features only


@dataclass(frozen=True)
class MapChoice:
    """What a map shows: the layer level, the field, the classification and the language."""

    level: str = "desa"
    field: str = "pelaku_usaha"
    scheme: str = "quantiles"
    k: int = 5
    palette: str = "YlOrBr"
    lang: str = "id"
    basemap: str = "none"
    breaks: tuple[float, ...] = ()
    title: str = ""  # replaces the measure's name as legend title (e.g. for a change map)
    diverging: bool = False  # classes centred on zero (changes), coloured with a diverging palette


def json_for_script(value) -> str:
    """JSON safe to place inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class ChoroplethLayer(JSCSSMixin):
    """A TopoJSON layer with per-feature fill, safe text tooltips and fit-to-bounds."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
    var topo = {{ this.topology_json }};
    var styles = {{ this.styles_json }};
    function tooltip(feature) {
        var box = document.createElement("div");
        feature.properties.lines.forEach(function (line, i) {
            var row = document.createElement("div");
            row.textContent = line;
            if (i === 0) { row.style.fontWeight = "bold"; }
            box.appendChild(row);
        });
        return box;
    }
    var layer = L.geoJSON(topojson.feature(topo, topo.objects.{{ this.object_name }}), {
        style: function (feature) {
            var p = feature.properties;
            return Object.assign({}, p.fill ? styles.data : styles.no_data, p.fill ? {fillColor: p.fill} : {},
                                 p.flagged ? styles.flagged : {}, p.carried ? styles.carried : {});
        },
        onEachFeature: function (feature, item) {
            item.bindTooltip(function () { return tooltip(feature); }, {sticky: true});
            item.on("mouseover", function () { item.setStyle(styles.highlight); });
            item.on("mouseout", function () { layer.resetStyle(item); });
        }
    }).addTo({{ this._parent.get_name() }});
    var focus = {{ this.focus_json }};
    var frame = null, maxZoom = 18;
    layer.eachLayer(function (item) {
        if (focus !== null && item.feature.id === focus) {
            item.setStyle(styles.focus);
            item.bringToFront();
            frame = item.getBounds();
            maxZoom = 15;
        }
    });
    if (frame === null) {  // framed on where the data are, with their surroundings in view
        var withData = L.featureGroup();
        layer.eachLayer(function (item) { if (item.feature.properties.fill) { withData.addLayer(item); } });
        frame = withData.getLayers().length ? withData.getBounds().pad(0.6) : layer.getBounds();
    }
    // once the map has its size and the legend and sources box are drawn, frame the data of
    // this map and of the maps synced with it (their view becomes this one) in the space their
    // boxes leave free; never more than half the map for the boxes
    var map = {{ this._parent.get_name() }};
    map.atlasFrame = frame;
    map.atlasLayer = layer;  // for controls that restyle the units (the year control)
    map.fitBounds(frame, {maxZoom: maxZoom});
    function syncedMaps() {
        var maps = [map];
        if (map.atlasSyncGroup === undefined) { return maps; }
        window.parent.document.querySelectorAll("iframe").forEach(function (element) {
            var other;
            try { other = element.contentWindow.map; } catch (error) { return; }
            if (other && other !== map && other.atlasSyncGroup === map.atlasSyncGroup && other.atlasShown()) {
                maps.push(other);
            }
        });
        return maps;
    }
    function frameBesideBoxes(tries, done) {  // a frame may be laid out late (hidden while the page runs)
        var box = map.getContainer();
        if ((box.clientWidth < 200 || box.clientHeight < 200 || !box.querySelector(".atlas-legend")) && tries > 0) {
            setTimeout(function () { frameBesideBoxes(tries - 1, done); }, 50);
            return;
        }
        map.invalidateSize({animate: false});
        var size = map.getSize();
        var right = 0, below = 0, bounds = L.latLngBounds(frame.getSouthWest(), frame.getNorthEast());
        syncedMaps().forEach(function (each) {
            var f = each.atlasFrame;  // from another frame's Leaflet: passed on as plain numbers
            if (f) { bounds.extend([[f.getSouth(), f.getWest()], [f.getNorth(), f.getEast()]]); }
            var corners = each.getContainer().querySelectorAll(".leaflet-bottom");
            corners.forEach(function (corner) {
                below = Math.max(below, corner.offsetHeight);
                if (corner.classList.contains("leaflet-right")) { right = Math.max(right, corner.offsetWidth); }
            });
        });
        map.fitBounds(bounds, {
            maxZoom: maxZoom, animate: false, paddingTopLeft: [50, 10],
            paddingBottomRight: [Math.min(right + 10, size.x / 2), Math.min(below + 10, size.y / 2)]
        });
        if (done) { done(); }
    }
    // framed at once, and again once sibling maps have loaded; then ``atlasSettled`` (which tests wait for)
    function settled() { map.atlasSettled = true; }
    frameBesideBoxes(400);
    setTimeout(function () { if (map.atlasMovedByVisitor) { settled(); } else { frameBesideBoxes(400, settled); } }, 1000);
    // until the visitor moves the map, a new size (Streamlit reflowing the page) frames it again
    ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
        map.getContainer().addEventListener(name, function () { map.atlasMovedByVisitor = true; }, {once: true});
    });
    map.on("resize", function () { if (!map.atlasMovedByVisitor) { frameBesideBoxes(400); } });
    return layer;
})();
{% endmacro %}
""")

    def __init__(self, topology: dict, focus: str | None = None):
        super().__init__()
        self._name = "ChoroplethLayer"
        self.object_name = OBJECT_NAME
        self.topology_json = json_for_script(topology)
        self.focus_json = json_for_script(focus)
        self.styles_json = json_for_script(
            {
                "data": {"color": "#555555", "weight": 0.6, "fillOpacity": FILL_OPACITY},
                "no_data": {
                    "color": "#777777",
                    "weight": 0.6,
                    "dashArray": "3 3",
                    "fillColor": NO_DATA_COLOUR,
                    "fillOpacity": 0.5,
                },
                "highlight": {"weight": 2.5, "color": "#000000"},
                "focus": {"weight": 4, "color": "#0033cc"},
                "flagged": {"color": FLAG_COLOUR, "weight": 2, "dashArray": "5 3"},
                "carried": {"color": CARRIED_COLOUR, "weight": 2.2, "dashArray": "2 3"},
            }
        )


class FeatureOverlay(MacroElement):
    """A user's vector features drawn over the units (translucent polygons, lines, points); not
    interactive, so a click still reaches the unit below. Carries geometry only, no attributes."""

    _template = Template("""
{% macro script(this, kwargs) %}
L.geoJSON({{ this.features_json }}, {
    interactive: false,
    style: {color: "#08519c", weight: 2, fillColor: "#3182bd", fillOpacity: 0.35},
    pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {radius: 4, color: "#08306b", weight: 1, fillColor: "#6baed6",
                                       fillOpacity: 0.9, interactive: false});
    }
}).addTo({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, features: gpd.GeoSeries):
        super().__init__()
        self._name = "FeatureOverlay"
        shown = features.iloc[:MAX_DRAWN_FEATURES].to_crs(METRIC_CRS).simplify(DRAWN_TOLERANCE_M).to_crs("EPSG:4326")
        geojson = json.loads(gpd.GeoSeries(shown.values, crs="EPSG:4326").to_json(drop_id=True))
        for feature in geojson["features"]:
            feature["properties"] = {}
        self.features_json = json_for_script(geojson)


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (no miles or feet)."""

    _template = Template("""
{% macro script(this, kwargs) %}
L.control.scale({metric: true, imperial: false}).addTo({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


class SyncedView(MacroElement):
    """Keeps the maps of one ``group`` on a page at the same centre and zoom: a pan or zoom in one
    moves the others (the maps are same-origin frames of the app's page)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map, group) {
    map.atlasSyncGroup = group;
    // a map the page no longer shows (Streamlit keeps a replaced frame a moment) moves no other
    map.atlasShown = function () { return document.body.isConnected && map.getContainer().clientWidth > 0 &&
        (!window.frameElement || window.frameElement.offsetParent !== null); };
    map.on("moveend", function () {
        if (map.atlasSyncing || !map.atlasShown()) { return; }
        var frames = window.parent.document.querySelectorAll("iframe");
        frames.forEach(function (frame) {
            var other;
            try { other = frame.contentWindow.map; } catch (error) { return; }
            if (!other || other === map || other.atlasSyncGroup !== group || !other.atlasShown()) { return; }
            other.atlasSyncing = true;
            other.setView(map.getCenter(), map.getZoom(), {animate: false});
            other.atlasSyncing = false;
        });
    });
})({{ this._parent.get_name() }}, {{ this.group_json }});
{% endmacro %}
""")

    def __init__(self, group: str):
        super().__init__()
        self._name = "SyncedView"
        self.group_json = json_for_script(group)


class MapControl(MacroElement):
    """A Leaflet control whose content is built from a JSON spec with ``textContent``.

    ``spec`` = {"title": str, "subtitle": str, "items": [{"colour", "label", "dashed"}], "lines": [str]}.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
    var spec = {{ this.spec_json }};
    var control = L.control({position: "{{ this.position }}"});
    control.onAdd = function () {
        var box = L.DomUtil.create("div", "atlas-control {{ this.css_class }}");
        box.style.cssText = "background:rgba(255,255,255,0.92);padding:6px 8px;font:12px/1.4 sans-serif;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,0.3);max-width:340px";
        function add(tag, text, css) {
            var el = document.createElement(tag); el.textContent = text;
            if (css) { el.style.cssText = css; } box.appendChild(el); return el;
        }
        if (spec.title) { add("div", spec.title, "font-weight:bold").className = "atlas-legend-title"; }
        if (spec.subtitle) { add("div", spec.subtitle, "color:#444"); }
        (spec.items || []).forEach(function (item) {
            var row = document.createElement("div"); row.className = "atlas-legend-item";
            var swatch = document.createElement("span");
            swatch.style.cssText = "display:inline-block;width:14px;height:12px;margin-right:6px;vertical-align:middle;border:" + (item.border ? "2px dashed " + item.border : "1px " + (item.dashed ? "dashed #555" : "solid #777")) + ";background:" + item.colour;
            var label = document.createElement("span"); label.textContent = item.label;
            row.appendChild(swatch); row.appendChild(label); box.appendChild(row);
        });
        (spec.lines || []).forEach(function (line) { add("div", line, "color:#333"); });
        L.DomEvent.disableClickPropagation(box);
        return box;
    };
    control.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
""")

    def __init__(self, spec: dict, position: str, css_class: str):
        super().__init__()
        self._name = "MapControl"
        self.spec_json = json_for_script(spec)
        self.position = position
        self.css_class = css_class


def classify_layer(layer: gpd.GeoDataFrame, choice: MapChoice) -> tuple[Classification, list[str]]:
    """Classes of the chosen field and their colours (centred on zero for a diverging choice)."""
    if choice.diverging:
        result = classify_diverging(layer[choice.field], max(choice.k, 3))
        return result, diverging_colours(result, choice.palette)
    result = classify(layer[choice.field], choice.scheme, choice.k, list(choice.breaks) or None)
    return result, palette_colours(choice.palette, max(result.k, 1))


def legend_spec(classification: Classification, colours: list[str], choice: MapChoice, *, flagged: int = 0) -> dict:
    """Legend title, unit, one item per class with its bounds, the no-data item, and the item
    of units compared with a partial count when ``flagged`` units are on the map."""
    decimals = fields.decimals(choice.field)
    fmt = lambda v: format_value(v, decimals, choice.lang)  # noqa: E731
    items = []
    for number, ((low, high), colour) in enumerate(zip(classification.bounds(), colours)):
        if number == classification.neutral:
            items.append({"colour": colour, "label": t("legend.no_change", choice.lang), "dashed": False})
            continue
        label = (
            fmt(high)
            if low == high or classification.k == len(set(classification.bins)) and low is None
            else f"{fmt(low)} – {fmt(high)}"
        )
        items.append({"colour": colour, "label": label, "dashed": False})
    items.append({"colour": NO_DATA_COLOUR, "label": t("no_data", choice.lang), "dashed": True})
    if flagged:
        items.append({"colour": "#ffffff", "label": t("legend.partial", choice.lang), "border": FLAG_COLOUR})
    note = classification.note
    return {
        "title": choice.title or fields.label(choice.field, choice.lang),
        "subtitle": fields.unit(choice.field, choice.lang),
        "items": items,
        "lines": [t(note[0], choice.lang, **note[1])] if note else [],
    }


def feature_properties(
    layer: gpd.GeoDataFrame, classification: Classification, colours: list[str], choice: MapChoice
) -> dict[str, dict]:
    """Per unit code: fill colour (None = no data) and tooltip lines."""
    key = CODE_FIELD[choice.level]
    decimals = fields.decimals(choice.field)
    label = choice.title or fields.label(choice.field, choice.lang)
    props = {}
    for row, cls in zip(layer.to_dict("records"), classification.classes):
        value = row[choice.field]
        shown = (
            t("no_data", choice.lang)
            if pd.isna(value)
            else f"{format_value(value, decimals, choice.lang)} {fields.unit(choice.field, choice.lang)}".strip()
        )
        lines = [*unit_title(row, choice.level, choice.lang), f"{label}: {shown}"]
        comparison = row.get("status_banding")
        if comparison:
            lines.append(f"{fields.label('status_banding', choice.lang)}: {t(f'banding.{comparison}', choice.lang)}")
        props[row[key]] = {
            "code": row[key],
            "fill": None if cls == NO_CLASS else colours[cls],
            "flagged": comparison == PARTIAL_COMPARISON,
            "lines": lines,
        }
    return props


def unit_title(row: dict, level: str, lang: str) -> list[str]:
    """Name lines of a unit: its own name, then where it lies."""
    if level == "desa":
        return [f"{row['WADMKD']} ({row['tingkat']})", f"Kec. {row['WADMKC']}, {row['WADMKK']}"]
    if level == "kecamatan":
        return [f"Kec. {row['WADMKC']}", row["WADMKK"]]
    return [row["WADMKK"]]


def build_map(
    layer: gpd.GeoDataFrame,
    topology: dict,
    choice: MapChoice,
    *,
    inline_assets: bool = False,
    sources: Sequence[str] = (),
    notes: Sequence[str] = (),
    features: gpd.GeoSeries | None = None,
    focus: str | None = None,
    sync: str | None = None,
    classes: tuple[Classification, list[str]] | None = None,
    legend_extra: Sequence[dict] = (),
    controls: Sequence[MacroElement] = (),
    carried: Collection[str] = (),
) -> folium.Map:
    """The choropleth map of ``layer`` for ``choice``; ``topology`` from ``browser_topology``;
    ``features`` (a user's vector layer) drawn on top; the unit ``focus`` (a code) outlined and
    zoomed to; maps of the same ``sync`` group on a page pan and zoom together. ``classes``
    replaces the layer's own classification (e.g. one over every year), ``legend_extra`` adds
    legend items, ``controls`` are added after the units (they find them as ``map.atlasLayer``),
    and the units ``carried`` show an earlier year's value (outlined)."""
    if choice.basemap not in BASEMAPS:
        raise OptionError(f"unknown basemap {choice.basemap!r}: use one of {', '.join(BASEMAPS)}")
    classification, colours = classes or classify_layer(layer, choice)
    props = feature_properties(layer, classification, colours, choice)
    for code in carried:
        props[code]["carried"] = True
    units = topology["objects"][OBJECT_NAME]
    geometries = [{**g, "properties": props[g["id"]]} for g in units["geometries"]]
    topo = {**topology, "objects": {OBJECT_NAME: {**units, "geometries": geometries}}}  # shared arcs

    minx, miny, maxx, maxy = layer.total_bounds
    fmap = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=10, tiles=None)
    MetricScale().add_to(fmap)
    if choice.basemap == "osm":
        folium.TileLayer("OpenStreetMap").add_to(fmap)
    choropleth = ChoroplethLayer(topo, focus)
    choropleth.add_to(fmap)
    if features is not None:
        FeatureOverlay(features).add_to(fmap)
    if sync:
        SyncedView(sync).add_to(fmap)
    for control in controls:
        control.add_to(fmap)
    flagged = sum(p["flagged"] for p in props.values())
    legend = legend_spec(classification, colours, choice, flagged=flagged)
    legend["items"] += list(legend_extra)
    MapControl(legend, "bottomright", "atlas-legend").add_to(fmap)
    lines = [t("map.source_line", choice.lang, sources="; ".join(sources))] if sources else []
    if lines or notes:
        MapControl({"lines": [*lines, *notes]}, "bottomleft", "atlas-sources").add_to(fmap)
    # no focus rectangle around a clicked polygon
    _document(fmap).header.add_child(
        Element("<style>.leaflet-interactive:focus{outline:none}</style>"), name="atlas_css"
    )
    _attach_assets(fmap, choropleth, inline_assets)
    return fmap


def _attach_assets(fmap: folium.Map, choropleth: ChoroplethLayer, inline: bool) -> None:
    """Point the map at the locally installed Leaflet and topojson-client, or inline them."""
    libraries = {"leaflet_css": assets.LEAFLET_CSS, "leaflet": assets.LEAFLET_JS, "topojson": assets.TOPOJSON_JS}
    if inline:
        fmap.default_js, fmap.default_css, choropleth.default_js = [], [], []
        header = _document(fmap).header
        for name, relative in libraries.items():
            header.add_child(Element(assets.inline_tag(relative)), name=name)
    else:
        fmap.default_js = [("leaflet", assets.served_url(assets.LEAFLET_JS))]
        fmap.default_css = [("leaflet_css", assets.served_url(assets.LEAFLET_CSS))]
        choropleth.default_js = [("topojson", assets.served_url(assets.TOPOJSON_JS))]


def standalone_html(layer: gpd.GeoDataFrame, topology: dict, choice: MapChoice, sources: list[str]) -> str:
    """A single self-contained HTML page of the map that opens offline."""
    fmap = build_map(layer, topology, choice, inline_assets=True, sources=sources)
    title = f"{t('title', choice.lang)}: {fields.label(choice.field, choice.lang)}"
    _document(fmap).header.add_child(Element(f"<title>{_html_text(title)}</title>"), name="title")
    return _document(fmap).render()


def _document(fmap: folium.Map) -> Figure:
    """The HTML document (branca Figure) a map is drawn in."""
    return cast(Figure, fmap.get_root())


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
