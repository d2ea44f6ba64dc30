"""Pieces several pages draw: a map with its click, the details panel, download buttons."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas.io.export import MEDIA_TYPES
from atlas.render.i18n import STREAMLIT_WORDS, t
from atlas.render.maps import MapChoice, build_map, json_for_script
from atlas.render.presentation import layer_sources, unit_details, unit_figures_table, unit_name
from atlas.render.timeline import TimeMap
from atlas.render.topology import region_topology

MAP_HEIGHT = 560


def show_map(
    layer: gpd.GeoDataFrame,
    region: str,
    choice: MapChoice,
    key: str,
    *,
    notes: list[str] | None = None,
    clickable: bool = True,
    features: gpd.GeoSeries | None = None,
    sources: list[str] | None = None,
    focus: str | None = None,
    sync: str | None = None,
    time: TimeMap | None = None,
) -> str | None:
    """Draw a choropleth (with a user's vector ``features`` on top, ``sources`` instead of the
    layer's own, the unit ``focus`` outlined and zoomed to, panning with the maps of its ``sync``
    group; with ``time``, the year control and its classes); returns the code of the unit last
    clicked (None when none or not clickable)."""
    fmap = build_map(
        time.layer if time else layer,
        region_topology(region, choice.level),
        choice,
        sources=layer_sources(layer, choice.lang) if sources is None else sources,
        notes=notes or [],
        features=features,
        focus=focus,
        sync=sync,
        classes=time.classes if time else None,
        controls=[time.control] if time else (),
        legend_extra=time.legend_extra if time else (),
        carried=time.carried if time else (),
    )
    clicked = st_folium(
        fmap,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_active_drawing"] if clickable else [],
        key=key,
    )
    properties = ((clicked or {}).get("last_active_drawing") or {}).get("properties", {})
    shown_year = int(properties["year"]) if time and properties.get("year") else None
    if shown_year and shown_year != st.session_state.get(f"{key}_year"):
        st.session_state[f"{key}_year"] = shown_year  # the year shown when the unit was clicked
        # the map of that year is a new map, which knows nothing of the click: the click is kept
        st.session_state[f"{key}_click"] = properties.get("code")
        st.rerun()  # the details, table and bars of that year
    kept = st.session_state.pop(f"{key}_click", None)
    return properties.get("code") or kept


def show_details(
    layer: gpd.GeoDataFrame, level: str, selected: str | None, lang: str, figures: pd.DataFrame | None = None
) -> None:
    """The details panel of the unit clicked on the map (or a hint to click one), with the
    figures published for that unit by other definitions (``figures``), side by side."""
    st.subheader(t("details", lang))
    details = unit_details(layer, level, selected, lang) if selected else []
    if not selected or not details:
        st.info(t("details.hint", lang))
        return
    st.text(unit_name(layer, level, selected))
    st.table(
        pd.DataFrame(details, columns=[t("details.field", lang), t("details.value", lang)]).set_index(
            t("details.field", lang)
        )
    )
    published = unit_figures_table(figures, lang, selected) if figures is not None else pd.DataFrame()
    if not published.empty:
        st.caption(t("details.published", lang))
        show_table(published)


def speak_streamlits_words(lang: str) -> None:
    """Streamlit writes some words of its own in English (an uploader's button and size limit, a
    refused file, "Press Enter to submit form", search results): hide the uploader's, label its
    button in ``lang``, and let a small script put every other one in ``lang``
    (``i18n.STREAMLIT_WORDS``) as it appears. The atlas states the limits itself."""
    upload = t("upload.button", lang).replace('"', "")
    st.html(
        "<style>"
        "[data-testid=stFileUploaderDropzoneInstructions], [data-testid=stFileChip] div:has(> [data-testid="
        "stFileChipName]) > div:not([data-testid=stFileChipName]) {display: none;}"
        "[data-testid=stFileUploaderDropzone] [data-testid=stBaseButton-secondary] p {font-size: 0;}"
        "[data-testid=stFileUploaderDropzone] [data-testid=stBaseButton-secondary] p::after"
        f' {{content: "{upload}"; font-size: 1rem;}}'
        "</style>"
    )
    st.html(WORDS_SCRIPT.replace("__RULES__", json_for_script(STREAMLIT_WORDS[lang])), unsafe_allow_javascript=True)


#: One observer per browser tab puts Streamlit's words in the visitor's language; a new language
#: gives it new rules, and what it changed before is put back first.
WORDS_SCRIPT = """<script>
(() => {
  const rules = __RULES__.map(([pattern, words]) => [new RegExp(pattern), words]);
  const state = window.atlasWords || (window.atlasWords = {rules: [], changed: new Map()});
  const speak = (node) => {
    const text = (node.nodeValue || "").trim();
    for (const [pattern, words] of state.rules) {
      if (pattern.test(text)) {
        if (state.changed.size > 500) state.changed.forEach((_, old) => old.isConnected || state.changed.delete(old));
        state.changed.set(node, node.nodeValue);
        node.nodeValue = text.replace(pattern, words);
        return;
      }
    }
  };
  const walk = (root) => {
    if (root.nodeType === Node.TEXT_NODE) return speak(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) speak(node);
  };
  state.changed.forEach((original, node) => { if (node.isConnected) node.nodeValue = original; });
  state.changed.clear();
  state.rules = rules;
  if (!state.observer) {
    state.observer = new MutationObserver((changes) => {
      for (const change of changes) {
        if (change.type === "characterData") speak(change.target);
        change.addedNodes.forEach(walk);
      }
    });
    state.observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  }
  walk(document.body);
})();
</script>"""


def show_table(table: pd.DataFrame, **options) -> st.delta_generator.DeltaGenerator:
    """A table of text made by ``atlas.render.presentation``, its number columns right-aligned;
    ``options`` go to ``st.dataframe`` (row selection, key)."""
    aligned = {name: st.column_config.TextColumn(alignment="right") for name in table.attrs.get("numbers", ())}
    return st.dataframe(table, hide_index=True, width="stretch", column_config=aligned, **options)


def download_button(label: str, make: Callable[[], bytes], file_name: str, fmt: str, key: str, container=st) -> None:
    """A download button whose file is made only when it is pressed."""
    container.download_button(label, make, file_name, MEDIA_TYPES[fmt], key=key, on_click="ignore")
