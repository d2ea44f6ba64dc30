"""The data page: the dataset versions, and Bappeda's import of updated counts."""

from __future__ import annotations

import functools
import hashlib
import math

import pandas as pd
import streamlit as st

from atlas.data.datasets import Dataset, retired_datasets
from atlas.data.store import STORED_KINDS
from atlas.data.values import FIRST_YEAR, LAST_YEAR
from atlas.errors import AtlasError, OutputExistsError
from atlas.intake.columns import TARGETS, load_profile, save_profile, saved_profiles
from atlas.intake.directory import Keep, import_directory
from atlas.intake.editors import check_sign_in
from atlas.intake.importer import import_counts
from atlas.intake.spreadsheet import MAX_FILE_BYTES, header_key
from atlas.intake.template import template_bytes
from atlas.intake.versions import STORED_VERSION_CHANGES, restore, retire, set_in_latest
from atlas.io.export import MEDIA_TYPES
from atlas.io.postgis import publish_after_change
from atlas.io.survey_form import form_bytes
from atlas.render.i18n import t
from atlas.render.presentation import NO_VALUE, audit_table
from atlas.web import cache, controls
from atlas.web.guard import show_error, technical_details
from atlas.web.uploads import upload_path

SUGGESTED_YEAR = 2024
IGNORE = "-"  # a column the import does not use


def render() -> None:
    """Draw the data page."""
    lang = controls.current_language()
    st.subheader(t("import", lang))
    st.download_button(
        t("import.template", lang),
        functools.partial(template_bytes, "all"),
        "templat_hitungan_batik.xlsx",
        MEDIA_TYPES["xlsx"],
        key="template",
        on_click="ignore",
    )
    st.download_button(
        t("survey.form", lang),
        functools.partial(form_bytes, "all"),
        "formulir_sensus_usaha_batik.xlsx",
        MEDIA_TYPES["xlsx"],
        key="survey_form",
        on_click="ignore",
        help=t("survey.form.help", lang),
    )
    problem = cache.store_problem()
    if problem:
        show_error(t("data.store_problem", lang), problem, lang)
    editor = _signed_in_editor(lang)
    if editor:
        st.caption(t("import.help", lang, mb=MAX_FILE_BYTES // 2**20))
        counts_file = st.file_uploader(
            t("import.file", lang), type=["csv", "xlsx"], key="counts_file", max_upload_size=MAX_FILE_BYTES // 2**20
        )
        mapping = _column_mapping(counts_file, lang, "counts_columns") if counts_file is not None else None
        with st.form("import_form"):
            year = st.number_input(t("import.year", lang), FIRST_YEAR, LAST_YEAR, SUGGESTED_YEAR, step=1)
            source = st.text_input(t("import.source", lang))
            replace = st.checkbox(t("import.replace", lang), key="replace")
            submitted = st.form_submit_button(t("import.button", lang))
        if submitted and counts_file is not None and mapping is not None:
            _import(counts_file, int(year), source, editor, lang, replace=replace, mapping=mapping)
        _directory_import(editor, lang)
        _manage_versions(editor, lang)
    _versions(lang)
    if editor:
        _audit_trail(lang)


def _versions(lang: str) -> None:
    """The stored versions, as every visitor sees them (no editors' names)."""
    st.subheader(t("data.versions", lang))  # after the changes, so they show at once
    for skipped in cache.damaged_datasets():
        st.warning(t("data.damaged", lang, name=skipped.key))
        technical_details(skipped.reason, lang)
    yes_no = {True: t("data.yes", lang), False: t("data.no", lang)}
    st.table(
        pd.DataFrame(
            [(d.year, d.source, d.imported_at or NO_VALUE, yes_no[d.in_latest]) for d in cache.versions()],
            columns=[t(key, lang) for key in ("data.year", "data.source", "data.imported", "data.in_latest")],
        )
    )


def _audit_trail(lang: str) -> None:
    """Who changed what, when: for signed-in editors only."""
    trail = cache.audit_trail()
    if trail:
        st.subheader(t("audit", lang))
        st.caption(t("audit.help", lang))
        st.dataframe(audit_table(trail, lang), hide_index=True, width="stretch")


def _signed_in_editor(lang: str) -> str | None:
    """The editor signed in to this session; otherwise the sign-in form (or, with no editor
    configured, how to enable editing) and None."""
    editors = cache.editors()
    if not editors:
        st.info(t("auth.read_only", lang))
        return None
    name = st.session_state.get("editor")
    if name in editors:
        st.caption(t("auth.signed_in", lang, name=name))
        if st.button(t("auth.sign_out", lang), key="sign_out"):
            del st.session_state["editor"]
            st.rerun()
        return name
    with st.form("sign_in"):
        st.caption(t("auth.visitors", lang))
        given = st.text_input(t("auth.name", lang), key="sign_in_name")
        password = st.text_input(t("auth.password", lang), type="password", key="sign_in_password")
        submitted = st.form_submit_button(t("auth.sign_in", lang))
    if submitted:
        limiter = cache.sign_in_limiter()
        client = st.context.ip_address or "localhost"
        wait = limiter.wait_for(client, given)
        if wait:
            st.error(t("auth.locked", lang, seconds=math.ceil(wait)))
        elif check_sign_in(given, password):
            limiter.succeeded(client, given)
            st.session_state["editor"] = given
            st.rerun()
        else:
            limiter.failed(client, given)
            st.error(t("auth.wrong", lang))
    return None


def _directory_import(editor: str, lang: str) -> None:
    """A business directory: columns confirmed by the editor, a dry-run report, then storing."""
    st.subheader(t("directory", lang))
    st.caption(t("directory.help", lang))
    upload = st.file_uploader(
        t("import.file", lang), type=["csv", "xlsx"], key="directory_file", max_upload_size=MAX_FILE_BYTES // 2**20
    )
    if upload is None:
        return
    mapping = _column_mapping(upload, lang, "directory_columns")
    if mapping is None:
        return
    left, middle, right = st.columns(3)
    year = left.number_input(t("import.year", lang), FIRST_YEAR, LAST_YEAR, SUGGESTED_YEAR, step=1, key="dir_year")
    source = middle.text_input(t("import.source", lang), key="dir_source")
    keep_text = right.text_input(t("directory.keep", lang), key="dir_keep", placeholder="Produk=batik")
    settings = (
        hashlib.sha256(upload.getvalue()).hexdigest(),
        tuple(sorted(mapping.items())),
        int(year),
        source,
        keep_text,
    )
    check, accept = st.columns(2)
    if check.button(t("directory.check", lang), key="dir_check"):
        _run_directory(upload, int(year), source, mapping, keep_text, editor, lang, accept=False)
        st.session_state["directory_checked"] = settings
    checked = st.session_state.get("directory_checked") == settings
    if accept.button(t("directory.accept", lang), key="dir_accept", disabled=not checked):
        _run_directory(upload, int(year), source, mapping, keep_text, editor, lang, accept=True)


def _column_mapping(upload, lang: str, key: str) -> dict[str, str] | None:
    """The file's columns with the atlas column proposed for each (from a saved profile, or from
    its header and sample values), for the editor to confirm or change, and to save as a profile;
    None (with the reason shown) when the file cannot be read."""
    try:
        labels, proposed, samples = cache.upload_preview(upload.getvalue(), upload.name)
    except AtlasError as error:
        show_error(t("import.rejected", lang), error, lang)
        return None
    profile = st.selectbox(
        t("columns.profile", lang),
        [None, *saved_profiles()],
        format_func=lambda p: p or t("env.nothing", lang),
        key=f"{key}_profile",
    )
    names = {what: target for target, what in TARGETS.items()}
    saved = load_profile(profile) if profile else {}
    label, sample, target = (t(f"directory.{k}", lang) for k in ("label", "samples", "target"))
    table = pd.DataFrame(
        {
            label: labels,
            sample: [", ".join(values) for values in samples],
            target: [names.get(saved.get(header_key(n), ""), proposed[n]) or IGNORE for n in labels],
        }
    )
    confirmed = st.data_editor(
        table,
        hide_index=True,
        disabled=[label, sample],
        column_config={target: st.column_config.SelectboxColumn(options=[IGNORE, *TARGETS], required=True)},
        key=f"{key}_{profile}",  # a new table when another profile is chosen
    )
    mapping = {header_key(n): TARGETS[chosen] for n, chosen in zip(labels, confirmed[target]) if chosen in TARGETS}
    name_column, button_column = st.columns([3, 1])
    name = name_column.text_input(t("columns.save_as", lang), key=f"{key}_save_name", placeholder="direktori_ikm")
    if button_column.button(t("columns.save", lang), key=f"{key}_save") and name.strip():
        try:
            save_profile(name.strip(), mapping)
        except AtlasError as error:
            show_error(t("data.change_failed", lang), error, lang)
        else:
            st.success(t("columns.saved", lang, name=name.strip()))
    return mapping


def _run_directory(upload, year, source, mapping, keep_text, editor, lang, *, accept: bool) -> None:
    """A dry run (the report) or the import itself, with every refusal shown."""
    if not source.strip():
        st.error(t("import.need_source", lang))
        return
    try:
        with upload_path(upload.getvalue(), upload.name) as path:
            report, result = import_directory(
                path,
                year,
                source,
                mapping=mapping,
                keep=Keep.parse(keep_text),
                accept=accept,
                editor=editor,
                file_name=upload.name,
            )
    except OutputExistsError:
        st.error(t("import.exists", lang, year=year))
        return
    except AtlasError as error:
        show_error(t("import.rejected", lang), error, lang)
        return
    counts = {"rows": report.rows, "filtered": report.filtered_out, "totals": len(report.totals_rows)}
    st.info(t("directory.summary", lang, placed=len(report.placed), unplaced=len(report.unplaced), **counts))
    if report.unplaced:
        columns = [t(f"directory.{c}", lang) for c in ("row", "column", "value", "reason")]
        st.dataframe(
            pd.DataFrame([(p.row, p.column, p.value, p.reason) for p in report.unplaced], columns=columns),
            hide_index=True,
            width="stretch",
        )
    if result:
        st.success(t("import.done", lang, rows=result.rows, units=result.units, year=result.year))
        publish_after_change()


def _manage_versions(editor: str, lang: str) -> None:
    """Retire a stored version, keep it out of the latest view or let it back in; restore a
    retired one. Each change is audited under ``editor``."""
    st.subheader(t("data.manage", lang))
    imported = [d for d in cache.versions() if d.kind in STORED_KINDS]
    if imported:
        with st.form("manage_form"):
            version = st.selectbox(
                t("data.version", lang), imported, format_func=lambda d: d.label, key="manage_version"
            )
            action = st.radio(
                t("data.action", lang),
                STORED_VERSION_CHANGES,
                format_func=lambda a: t(f"data.action.{a}", lang),
                key="manage_action",
            )
            if st.form_submit_button(t("data.apply", lang), key="manage_apply"):
                _change(lang, action, version, editor)
    retired = retired_datasets()
    if retired:
        with st.form("restore_form"):
            version = st.selectbox(
                t("data.retired", lang), retired, format_func=lambda d: d.label, key="restore_version"
            )
            if st.form_submit_button(t("data.restore", lang), key="restore_apply"):
                _change(lang, "restore", version, editor)


def _change(lang: str, action: str, version: Dataset, editor: str) -> None:
    try:
        if action == "retire":
            retire(version.year, version.source, editor)
        elif action == "restore":
            restore(version.year, version.source, editor)
        else:
            set_in_latest(version.year, version.source, action == "include", editor)
    except AtlasError as error:
        show_error(t("data.change_failed", lang), error, lang)
    else:
        st.success(t("data.applied", lang, version=version.label))
        publish_after_change()


def _import(
    counts_file, year: int, source: str, editor: str, lang: str, *, replace: bool, mapping: dict[str, str]
) -> None:
    """Store an uploaded file as a new dataset version, or show why it was rejected."""
    if not source.strip():
        st.error(t("import.need_source", lang))
        return
    with upload_path(counts_file.getvalue(), counts_file.name) as path:
        try:
            result = import_counts(
                path, year, source, editor=editor, file_name=counts_file.name, replace=replace, mapping=mapping
            )
        except OutputExistsError:
            st.error(t("import.exists", lang, year=year))
        except AtlasError as error:
            show_error(t("import.rejected", lang), error, lang)
        else:
            st.success(t("import.done", lang, rows=result.rows, units=result.units, year=result.year))
            publish_after_change()
        publish_after_change()
