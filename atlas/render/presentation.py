"""Tables, unit details and source lists of a layer, as the app and CLI show them."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from atlas import fields
from atlas.analysis.change import COUNTS
from atlas.fields import CODE_FIELD, NAME_FIELD
from atlas.render.i18n import citation, t
from atlas.render.measures import VIEWS, all_fields, format_value

TABLE_CONTEXT = {
    "desa": ["WADMKD", "tingkat", "WADMKC", "WADMKK"],
    "kecamatan": ["WADMKC", "WADMKK"],
    "kabkota": ["WADMKK"],
}


NO_VALUE = "–"


AUDIT_COLUMNS = ("waktu", "editor", "tindakan", "tahun", "sumber", "berkas", "baris", "unit", "versi", "sha256")


def audit_table(trail: list, lang: str) -> pd.DataFrame:
    """The audit trail (``AuditRecord``s), newest first, as an editor of ``lang`` reads it: headers
    and actions in that language, sources cited in it."""
    rows = [
        {
            **{column: getattr(record, column) for column in AUDIT_COLUMNS},
            "tindakan": t(f"audit.action.{record.tindakan}", lang),
            "sumber": citation(record.sumber, lang),
        }
        for record in reversed(trail)
    ]
    table = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
    return table.rename(columns={column: t(f"audit.{column}", lang) for column in AUDIT_COLUMNS})


def readable(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``table`` (registry field names as columns) as text a visitor of ``lang`` reads: headers
    translated, numbers formatted per language (6.224 and 25,3 in Indonesian), sources cited in
    that language, every missing value a dash. ``attrs["numbers"]`` names the columns of numbers
    (drawn right-aligned). Downloads keep the numbers themselves."""
    table = table.copy()
    numbers = []
    for name in table.columns:
        decimals = fields.field(name).decimals if fields.is_known(name) else None
        if decimals is not None and pd.api.types.is_numeric_dtype(table[name]):
            table[name] = [NO_VALUE if pd.isna(v) else format_value(v, decimals, lang) for v in table[name]]
            numbers.append(fields.label(name, lang))
        elif name == "sumber":
            table[name] = [NO_VALUE if pd.isna(v) else citation(str(v), lang) for v in table[name]]
        else:
            table[name] = [NO_VALUE if pd.isna(v) else str(v) for v in table[name]]
    labelled = table.rename(columns={c: fields.label(c, lang) for c in table.columns if fields.is_known(c)})
    labelled.attrs["numbers"] = numbers
    return labelled


def view_table(layer: gpd.GeoDataFrame, level: str, view: str, lang: str) -> pd.DataFrame:
    """Rows of the current view: code, names, the view's measures, status, year and source."""
    measures = list(VIEWS[view])
    columns = [CODE_FIELD[level], *TABLE_CONTEXT[level], *measures, "status_data", "tahun", "sumber"]
    table = pd.DataFrame(layer[columns]).copy()
    table["status_data"] = table["status_data"].map(lambda s: t(f"status.{s}", lang))
    return readable(table, lang)


def change_table(layer: gpd.GeoDataFrame, level: str, view: str, lang: str) -> pd.DataFrame:
    """Rows of a change view: the differences of the view's measures, the percent change and
    both values of its counts, comparability and both years; headers say which is which."""
    measures = VIEWS[view]
    counts = [name for name in COUNTS if name in measures]
    columns = [
        CODE_FIELD[level],
        *TABLE_CONTEXT[level],
        *(f"selisih_{name}" for name in measures),
        *(f"persen_{name}" for name in counts),
        *(f"{name}_{end}" for name in counts for end in ("awal", "akhir")),
        "status_banding",
        "tahun_awal",
        "tahun_akhir",
    ]
    table = pd.DataFrame(layer[columns]).copy()
    table["status_banding"] = table["status_banding"].map(lambda s: t(f"banding.{s}", lang))
    return readable(table, lang)


def indicator_column(lang: str) -> str:
    """The column naming a published figure's indicator in ``lang``."""
    return "indikator_en" if lang == "en" else "indikator"


def totals_table(totals: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Published totals side by side, one row per figure and source, with translated headers."""
    table = totals[["wilayah", indicator_column(lang), "nilai", "perkiraan", "tahun", "sumber"]].copy()
    table = table.rename(columns={indicator_column(lang): "indikator"})
    table["perkiraan"] = table["perkiraan"].map(lambda v: t(f"approx.{v}", lang))
    return readable(table, lang)


#: Shown in a unit's details when its layer has them: a directory's businesses without a worker
#: count, and a kecamatan-level report beside the sum of the desa.
REPORT_DETAILS = ("tanpa_pekerja", "laporan_pelaku_usaha", "laporan_pekerja", "laporan_tahun", "laporan_sumber")


def unit_figures_table(figures: pd.DataFrame, lang: str, code: str | None = None) -> pd.DataFrame:
    """Figures published for units by other definitions (of ``code`` only, when given), with the
    caveat in ``lang``: shown beside the counts, never merged into them."""
    chosen = figures if code is None else figures[figures["kode"] == code]
    table = chosen[["wilayah", indicator_column(lang), "nilai", "tahun", "sumber"]].copy()
    table = table.rename(columns={indicator_column(lang): "indikator"})
    table["catatan"] = chosen["catatan_en" if lang == "en" else "catatan_id"]
    return readable(table, lang)


def _is_estimate(name: str) -> bool:
    """An overlay or margin value; their provenance prose (``asal_*``, in English) stays in the
    downloads and the data dictionary."""
    return fields.is_known(name) and fields.field(name).group in ("overlay", "margin") and not name.startswith("asal_")


def unit_details(layer: gpd.GeoDataFrame, level: str, code: str, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs describing one unit, for the details panel."""
    key = CODE_FIELD[level]
    rows = layer[layer[key] == code]
    if rows.empty:
        return []
    row = rows.iloc[0]
    shown_fields = [
        key,
        *TABLE_CONTEXT[level],
        "luas_km2",
        *all_fields(),
        *fields.level_fields(level, ("aggregate",)),
        "status_data",
        "tahun",
        "sumber",
        *(c for c in REPORT_DETAILS if c in layer.columns),
        *(c for c in layer.columns if _is_estimate(c)),
    ]
    details = []
    for name in shown_fields:
        value = row[name]
        if pd.isna(value):
            shown = t("no_data", lang)
        elif name == "status_data":
            shown = t(f"status.{value}", lang)
        elif name == "sumber":
            shown = citation(value, lang)
        elif name in ("tahun", key) or isinstance(value, str):
            shown = str(value)
        else:
            shown = format_value(value, fields.decimals(name), lang)
        details.append((fields.label(name, lang), shown))
    return details


def unit_name(layer: gpd.GeoDataFrame, level: str, code: str) -> str:
    """Display name of one unit."""
    rows = layer[layer[CODE_FIELD[level]] == code]
    return str(rows.iloc[0][NAME_FIELD[level]]) if len(rows) else code


def layer_sources(layer: gpd.GeoDataFrame, lang: str) -> list[str]:
    """Distinct count sources behind a layer's values (both versions' for a change layer),
    cited in ``lang``."""
    columns = [c for c in ("sumber", "sumber_awal", "sumber_akhir") if c in layer.columns]
    values = pd.concat([layer[c] for c in columns]).dropna().astype(str) if columns else pd.Series(dtype=str)
    return list(dict.fromkeys(citation(s, lang) for value in values for s in value.split("; ")))


def search_entries(layer: gpd.GeoDataFrame, level: str, old_names: pd.DataFrame, lang: str) -> dict[str, str]:
    """What a visitor can search for on the map -> the unit's code: every unit by name (with its
    kecamatan or kab/kota), and at desa level every pre-2015 kelurahan name, pointing at the unit
    it belongs to today (``old_names``: the crosswalk, ``kode`` and ``kelurahan_lama``)."""
    key, name = CODE_FIELD[level], NAME_FIELD[level]
    above = {"desa": NAME_FIELD["kecamatan"], "kecamatan": NAME_FIELD["kabkota"]}.get(level)
    entries = {}
    for code, unit, parent in zip(layer[key], layer[name], layer[above] if above else layer[name]):
        entries[f"{unit} ({parent})" if above else unit] = code
    if level == "desa":
        current = dict(zip(layer[key], layer[name]))
        for code, old in zip(old_names["kode"], old_names["kelurahan_lama"]):
            if code in current and old != current[code]:
                entries[t("search.old_name", lang, old=old, name=current[code])] = code
    return dict(sorted(entries.items()))


MONEY = ("harga_masuk", "harga_keluar", "margin_per_unit", "margin_per_bulan")


def economics_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The margin model's unit economics as people read them: Rp 12.000.000, 13,3 %."""
    shown = pd.DataFrame({fields.label("aktor", lang): [t(f"actor.{a}", lang) for a in table.index]})
    for column in table.columns:
        if column in MONEY:
            values = [f"Rp {format_value(v, 0, lang)}" for v in table[column]]
        elif column == "bagian_harga_akhir":
            values = [f"{format_value(100 * v, 1, lang)} %" for v in table[column]]
        else:
            values = [format_value(v, fields.decimals(column), lang) for v in table[column]]
        shown[fields.label(column, lang)] = values
    shown.attrs["numbers"] = list(shown.columns[1:])
    return shown


def summary_lines(layers, totals: pd.DataFrame, lang: str, surveys=()) -> list[str]:
    """The first screen's story, per kab/kota shown: how many units have counts, their sums in
    the shown dataset, the published totals beside them (which disagree), and, where no unit has
    a count, that none are published per desa and how Bappeda can load them; then how far each
    field survey of it has come (``surveys``: ``datasets.SurveyProgress``)."""
    lines = []
    for row in layers.kabkota.itertuples():
        lines += [
            t("summary.survey", lang, area=row.WADMKK, year=s.year, source=s.source, reached=s.reached, units=s.units)
            for s in surveys
            if s.kabkota == row.KDPKAB
        ]
        published = totals[totals["kode"] == row.KDPKAB]
        figures = "; ".join(
            f"{'~' if p.perkiraan == 'yes' else ''}{format_value(p.nilai, 0, lang)} {indicator} ({p.tahun})"
            for p, indicator in zip(published.itertuples(), published[indicator_column(lang)])
        )
        if pd.isna(row.pelaku_usaha):
            lines.append(t("summary.none", lang, area=row.WADMKK, units=row.jumlah_unit, published=figures or "-"))
            continue
        lines.append(
            t(
                "summary.area",
                lang,
                area=row.WADMKK,
                with_data=row.unit_berdata,
                units=row.jumlah_unit,
                producers=format_value(row.pelaku_usaha, 0, lang),
                workers=format_value(row.pekerja, 0, lang),
                published=figures or "-",
            )
        )
    return lines


#: How the charts (Vega) write numbers in each language: 1.234,5 in Indonesian.
CHART_NUMBERS = {
    "id": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["Rp ", ""]},
}


def scatter_chart(layer: gpd.GeoDataFrame, level: str, x: str, y: str, x_title: str, lang: str, selected: str | None):
    """The environmental value against a batik measure, one named point per unit with data; the
    selected unit drawn larger and in another colour."""
    import altair as alt

    y_title = fields.label(y, lang)
    data = pd.DataFrame(
        {
            "kode": layer[CODE_FIELD[level]],
            "nama": layer[NAME_FIELD[level]],
            "x": layer[x].astype(float),
            "y": layer[y].astype(float),
        }
    ).dropna(subset=["x", "y"])
    data["dipilih"] = data["kode"] == selected
    return (
        alt.Chart(data)
        .mark_circle()
        .encode(
            x=alt.X("x:Q", title=x_title),
            y=alt.Y("y:Q", title=y_title),
            size=alt.condition("datum.dipilih", alt.value(220), alt.value(60)),
            color=alt.condition("datum.dipilih", alt.value("#d7301f"), alt.value("#2c7fb8")),
            tooltip=[
                alt.Tooltip("nama:N", title=fields.label(NAME_FIELD[level], lang)),
                alt.Tooltip("x:Q", title=x_title, format=",.2f"),
                alt.Tooltip("y:Q", title=y_title, format=",.2f"),
            ],
        )
        .configure(locale={"number": CHART_NUMBERS["en" if lang == "en" else "id"]})
    )


def trend_rows(series: gpd.GeoDataFrame, level: str, code: str, field_name: str, lang: str) -> pd.DataFrame:
    """A unit's own values through the years (carried years left out): year, value, and the
    source as the visitor's language cites it."""
    rows = series[(series[CODE_FIELD[level]] == code) & (series["dibawa"] == "no") & series[field_name].notna()]
    return pd.DataFrame(
        {
            "tahun": rows["tahun"].astype(int),
            "nilai": rows[field_name].astype(float),
            "sumber": [citation(s, lang) for s in rows["sumber"]],
        }
    ).reset_index(drop=True)


def trend_chart(rows: pd.DataFrame, field_name: str, lang: str):
    """Values per year, each point with its source; points of one source joined by a line,
    sources (which may differ in definition) drawn apart, never joined to each other."""
    import altair as alt

    title = fields.label(field_name, lang)
    base = alt.Chart(rows).encode(
        x=alt.X("tahun:O", title=t("year", lang)),
        y=alt.Y("nilai:Q", title=title, axis=alt.Axis(format=",d" if fields.decimals(field_name) == 0 else ",.1f")),
        color=alt.Color(
            "sumber:N", title=fields.label("sumber", lang), legend=alt.Legend(orient="bottom", labelLimit=260)
        ),
    )
    points = base.mark_point(filled=True, size=70).encode(
        tooltip=[
            alt.Tooltip("tahun:O", title=t("year", lang)),
            alt.Tooltip("nilai:Q", title=title, format=",d"),
            alt.Tooltip("sumber:N", title=fields.label("sumber", lang)),
        ]
    )
    return (
        (base.mark_line() + points)
        .properties(height=200)
        .configure(locale={"number": CHART_NUMBERS["en" if lang == "en" else "id"]})
    )


def trend_table(rows: pd.DataFrame, field_name: str, lang: str) -> pd.DataFrame:
    """The same values as a table in the visitor's number format."""
    decimals = fields.decimals(field_name)
    return pd.DataFrame(
        {
            t("year", lang): rows["tahun"].astype(str),
            fields.label(field_name, lang): [format_value(v, decimals, lang) for v in rows["nilai"]],
            fields.label("sumber", lang): rows["sumber"],
        }
    )


RANKED = 10  # units at each end of the ranked bars


def ranked_rows(layer: gpd.GeoDataFrame, level: str, field_name: str, lang: str, n: int = RANKED) -> pd.DataFrame:
    """The top and bottom ``n`` units of the shown layer (each once), highest first, with a label
    in the visitor's number format."""
    code, name = CODE_FIELD[level], NAME_FIELD[level]
    data = pd.DataFrame({"kode": layer[code], "nama": layer[name], "nilai": layer[field_name].astype(float)})
    data = data.dropna(subset=["nilai"]).sort_values("nilai", ascending=False)
    shown = pd.concat([data.head(n), data.tail(n)]).drop_duplicates("kode")
    decimals = fields.decimals(field_name)
    shown["label"] = [format_value(v, decimals, lang) for v in shown["nilai"]]
    return shown.reset_index(drop=True)


def ranked_chart(rows: pd.DataFrame, field_name: str, lang: str, selected: str | None):
    """Ranked horizontal bars; the selected unit's bar marked; a click selects a unit."""
    import altair as alt

    data = rows.assign(dipilih=rows["kode"] == selected)
    pick = alt.selection_point(fields=["kode"], name="unit")
    title = fields.label(field_name, lang)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("nama:N", sort=None, title=None, axis=alt.Axis(labelLimit=160)),
            x=alt.X("nilai:Q", title=title, axis=alt.Axis(format=",d" if fields.decimals(field_name) == 0 else ",.1f")),
            color=alt.condition("datum.dipilih", alt.value("#0033cc"), alt.value("#fe9929")),
            tooltip=[alt.Tooltip("nama:N", title=t("ranked.unit", lang)), alt.Tooltip("label:N", title=title)],
        )
        .add_params(pick)
        .properties(height=max(120, 18 * len(data)))
        .configure(locale={"number": CHART_NUMBERS["en" if lang == "en" else "id"]})
    )
