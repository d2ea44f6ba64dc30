"""Streamlit shell of the Batik Atlas: page set-up, language, navigation. Every page lives in
``atlas/web/`` and calls the earlier stages of ``atlas`` for its data."""

import streamlit as st

from atlas.render.i18n import t
from atlas.web import controls, data_page, environment_page, map_page, margin_page, widgets
from atlas.web.guard import guarded

st.set_page_config(page_title="Atlas Batik Pekalongan", page_icon="🗺️", layout="wide")
lang = controls.language()
widgets.speak_streamlits_words(lang)


@guarded
def production() -> None:
    map_page.render("production")


@guarded
def labour() -> None:
    map_page.render("labour")


pages = {
    "production": st.Page(production, title=t("view.production", lang), url_path="production", default=True),
    "labour": st.Page(labour, title=t("view.labour", lang), url_path="labour"),
    "margin": st.Page(guarded(margin_page.render), title=t("view.margin", lang), url_path="margin"),
    "environment": st.Page(guarded(environment_page.render), title=t("view.environment", lang), url_path="environment"),
    "data": st.Page(guarded(data_page.render), title=t("view.data", lang), url_path="data"),
}
navigation = st.navigation(list(pages.values()))
linked = controls.linked_view()  # a link such as ?view=labour&level=kecamatan opens that view
if linked and pages[linked] is not navigation:
    st.switch_page(pages[linked])
st.title(t("title", lang))
st.caption(t("subtitle", lang))
with st.expander(t("help", lang)):
    st.markdown(t("help.text", lang))
navigation.run()
