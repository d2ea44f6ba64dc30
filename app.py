"""Streamlit front of the Batik Atlas: arranges widgets and calls into ``atlas``."""

import streamlit as st

from atlas.export import export_frame
from atlas.indicators import load_totals
from atlas.layers import LEVELS, build_layers

st.set_page_config(page_title="Atlas Batik Pekalongan", layout="wide")


@st.cache_resource
def layers_for(region: str):
    """Layers are built once per server and region."""
    return build_layers(region)


st.title("Atlas Batik Pekalongan")
region = st.radio("Wilayah / Region", ["all", "kota", "kabupaten"], horizontal=True)
level = st.radio("Tingkat / Level", LEVELS, horizontal=True)
layers = layers_for(region)
table = export_frame(layers.level(level), level).drop(columns="geometry")
st.dataframe(table, hide_index=True)
st.subheader("Sumber / Sources")
st.dataframe(load_totals(), hide_index=True)
