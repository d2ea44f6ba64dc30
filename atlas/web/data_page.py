"""The data page: the dataset versions, and Bappeda's import of updated counts."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from atlas.data.values import FIRST_YEAR, LAST_YEAR
from atlas.errors import AtlasError
from atlas.intake.importer import import_counts
from atlas.intake.spreadsheet import MAX_FILE_BYTES
from atlas.render.i18n import t
from atlas.web import cache, controls

SUGGESTED_YEAR = 2024


def render() -> None:
    """Draw the data page."""
    lang = controls.current_language()
    st.subheader(t("import", lang))
    st.caption(t("import.help", lang, mb=MAX_FILE_BYTES // 2**20))
    with st.form("import_form"):
        counts_file = st.file_uploader(t("import.file", lang), type=["csv", "xlsx"])
        year = st.number_input(t("import.year", lang), FIRST_YEAR, LAST_YEAR, SUGGESTED_YEAR, step=1)
        source = st.text_input(t("import.source", lang))
        submitted = st.form_submit_button(t("import.button", lang))
    if submitted and counts_file is not None:
        _import(counts_file, int(year), source, lang)
    st.subheader(t("data.versions", lang))  # after the import, so a new version shows at once
    for skipped in cache.damaged_datasets():
        st.warning(t("data.damaged", lang, name=skipped.path.name, reason=skipped.reason))
    st.table(
        pd.DataFrame(
            [(d.year, d.source, d.imported_at or "-") for d in cache.datasets()],
            columns=[t("data.year", lang), t("data.source", lang), t("data.imported", lang)],
        )
    )


def _import(counts_file, year: int, source: str, lang: str) -> None:
    """Store an uploaded file as a new dataset version, or show why it was rejected."""
    if not source.strip():
        st.error(t("import.need_source", lang))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(counts_file.name).name
        path.write_bytes(counts_file.getvalue())
        try:
            result = import_counts(path, year, source)
        except AtlasError as error:
            st.error(t("import.rejected", lang))
            st.code(str(error), language=None)
        else:
            st.success(t("import.done", lang, rows=result.rows, units=result.units, year=result.year))
