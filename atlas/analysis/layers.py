"""Join batik counts to boundaries and aggregate: village, kecamatan and kab/kota layers.

A unit without a reported count keeps null values and ``status_data = "no data"`` (never 0).
A village formed from several pre-2015 kelurahan of which only some were reported is "partial",
and so is one whose businesses (from a directory) lack some worker counts (``tanpa_pekerja``);
a kecamatan or kab/kota sum over partly reported units is "partial" too and says how many units
it covers. Kecamatan-level reports are never spread over desa: a kecamatan version maps at
kecamatan and kab/kota level (its desa say "per kecamatan"), and in the latest view the newest
report of a kecamatan stands beside the sum of its desa (``laporan_*``), never averaged with it.
Published kab/kota totals are carried beside the sums, one column per source.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from atlas import config
from atlas.data import indicators
from atlas.data.boundaries import Boundaries, load_boundaries
from atlas.data.crosswalk import NameIndex, normalise_name
from atlas.data.datasets import Dataset, kecamatan_reports, resolved_counts, select_dataset
from atlas.errors import IndicatorTableError, UnknownLevelError
from atlas.fields import CODE_FIELD, LEVELS

REPORTED, PARTIAL, NO_DATA, PER_KECAMATAN = "reported", "partial", "no data", "per kecamatan"
COUNT_FIELDS = ("pelaku_usaha", "pekerja")


@dataclass(frozen=True)
class Layers:
    """The atlas layers of one region and dataset version."""

    desa: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    kabkota: gpd.GeoDataFrame
    region: str
    dataset: Dataset

    @property
    def year(self) -> int:
        return self.dataset.year

    def level(self, name: str) -> gpd.GeoDataFrame:
        """The layer of one level: 'desa', 'kecamatan' or 'kabkota'."""
        if name not in LEVELS:
            raise UnknownLevelError(f"unknown level {name!r}: use one of {', '.join(LEVELS)}")
        return getattr(self, name)


def build_layers(
    region: str = "all", year: int | None = None, source: str | None = None, dataset: Dataset | None = None
) -> Layers:
    """Layers for a region ('kota', 'kabupaten', 'all' or kab/kota codes) and a dataset version.

    The version is ``dataset``, or the one of ``year`` and ``source`` (default: the latest year).
    """
    boundaries = load_boundaries(config.region_codes(region))
    dataset = dataset or select_dataset(year, source)
    crosswalk = indicators.load_crosswalk_table()
    _check_crosswalk_codes(crosswalk, boundaries)
    index = NameIndex(boundaries.desa, crosswalk)
    kabkota_codes = set(boundaries.desa["KDPKAB"])
    rows = resolved_counts(dataset, index, kabkota_codes)
    reports = kecamatan_reports(dataset, kabkota_codes)
    desa = village_layer(boundaries, rows, index, set(reports["KDCPUM"]))
    kecamatan = aggregate(desa, boundaries.kecamatan, "kecamatan")
    if dataset.kind == "kecamatan":
        kecamatan = reported_kecamatan(kecamatan, reports)
        kabkota = kabkota_from_kecamatan(kecamatan, boundaries.kabkota)
    else:
        kecamatan = with_reports(kecamatan, reports)
        kabkota = aggregate(desa, boundaries.kabkota, "kabkota")
    kabkota = with_published_totals(kabkota, indicators.load_totals())
    return Layers(desa, kecamatan, kabkota, region, dataset)


def village_layer(
    boundaries: Boundaries, rows: pd.DataFrame, index: NameIndex, reported_kecamatan: Collection[str] = ()
) -> gpd.GeoDataFrame:
    """Village boundaries with summed counts, densities, provenance and data status.

    ``rows`` are resolved counts (``datasets.resolved_counts``): one or more per village code; a
    village without rows in one of ``reported_kecamatan`` is "per kecamatan".
    """
    rows = rows.assign(tanpa_pekerja=pd.to_numeric(rows["tanpa_pekerja"]))
    per_unit = rows.groupby("KDEPUM").agg(
        pelaku_usaha=("pelaku_usaha", "sum"),
        pekerja=("pekerja", "sum"),
        tahun=("tahun", "first"),
        sumber=("sumber", _join_unique),
        klaster=("nama_di_sumber", "; ".join),
        tanpa_pekerja=("tanpa_pekerja", lambda s: s.sum(min_count=1)),
        _old_names=("kelurahan_lama", list),
    )
    layer = boundaries.desa.merge(per_unit, how="left", left_on="KDEPUM", right_index=True)
    for field in (*COUNT_FIELDS, "tahun", "tanpa_pekerja"):
        layer[field] = layer[field].astype("Int64")
    layer["status_data"] = [
        _village_status(code, old_names, missing, index)
        for code, old_names, missing in zip(layer["KDEPUM"], layer["_old_names"], layer["tanpa_pekerja"])
    ]
    per_kecamatan = (layer["status_data"] == NO_DATA) & layer["KDCPUM"].isin(list(reported_kecamatan))
    layer.loc[per_kecamatan, "status_data"] = PER_KECAMATAN
    layer = layer.drop(columns="_old_names")
    return _with_ratios(layer)


def aggregate(desa: gpd.GeoDataFrame, units: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    """Sum village counts into ``units`` (kecamatan or kab/kota), keeping no-data honest."""
    key = CODE_FIELD[level]
    grouped = desa.groupby(key)
    sums = pd.DataFrame(
        {field: grouped[field].sum(min_count=1).astype("Int64") for field in (*COUNT_FIELDS, "tanpa_pekerja")}
    )
    sums["jumlah_unit"] = grouped.size()
    sums["unit_berdata"] = grouped["pelaku_usaha"].count()
    sums["unit_lengkap"] = grouped["status_data"].apply(lambda s: int((s == REPORTED).sum()))
    sums["tahun"] = grouped["tahun"].max()
    sums["sumber"] = grouped["sumber"].apply(lambda s: _join_unique(s.dropna()) or None)
    sums["status_data"] = [
        NO_DATA if with_data == 0 else REPORTED if complete == total else PARTIAL
        for with_data, complete, total in zip(sums["unit_berdata"], sums["unit_lengkap"], sums["jumlah_unit"])
    ]
    layer = units.merge(sums.drop(columns="unit_lengkap"), how="left", left_on=key, right_index=True)
    return _with_ratios(layer)


def reported_kecamatan(kecamatan: gpd.GeoDataFrame, reports: pd.DataFrame) -> gpd.GeoDataFrame:
    """The kecamatan layer of a kecamatan-level version: its counts are the reports."""
    reported = reports.set_index("KDCPUM")
    layer = kecamatan.drop(columns=[*COUNT_FIELDS, "tahun", "sumber", "tanpa_pekerja"], errors="ignore")
    for field in (*COUNT_FIELDS, "tahun", "sumber"):
        values = layer["KDCPUM"].map(reported[field])
        layer[field] = values.astype("Int64") if field != "sumber" else values
    layer["status_data"] = [REPORTED if pd.notna(v) else NO_DATA for v in layer["pelaku_usaha"]]
    return _with_ratios(layer)


def kabkota_from_kecamatan(kecamatan: gpd.GeoDataFrame, units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Kab/kota sums of kecamatan reports; "partial" when not every kecamatan reported."""
    grouped = kecamatan.groupby("KDPKAB")
    sums = pd.DataFrame({field: grouped[field].sum(min_count=1).astype("Int64") for field in COUNT_FIELDS})
    sums["jumlah_unit"] = grouped["jumlah_unit"].sum()
    sums["unit_berdata"] = 0
    sums["tahun"] = grouped["tahun"].max()
    sums["sumber"] = grouped["sumber"].apply(lambda s: _join_unique(s.dropna()) or None)
    reported, total = grouped["pelaku_usaha"].count(), grouped.size()
    sums["status_data"] = [NO_DATA if r == 0 else REPORTED if r == n else PARTIAL for r, n in zip(reported, total)]
    return _with_ratios(units.merge(sums, how="left", left_on="KDPKAB", right_index=True))


def with_reports(kecamatan: gpd.GeoDataFrame, reports: pd.DataFrame) -> gpd.GeoDataFrame:
    """The newest kecamatan-level report beside the sum of the desa (``laporan_*``), when any."""
    if reports.empty:
        return kecamatan
    renamed = reports.set_index("KDCPUM").rename(columns=lambda c: f"laporan_{c}")
    layer = kecamatan.merge(renamed, how="left", left_on="KDCPUM", right_index=True)
    for field in ("laporan_pelaku_usaha", "laporan_pekerja", "laporan_tahun"):
        layer[field] = layer[field].astype("Int64")
    return layer


def with_published_totals(kabkota: gpd.GeoDataFrame, totals: pd.DataFrame) -> gpd.GeoDataFrame:
    """Add one column per published total (e.g. ``pekerja_astuti2016``) beside the sums."""
    wide = totals.pivot(index="kode", columns="kolom", values="nilai").astype("Int64")
    return kabkota.merge(wide, how="left", left_on="KDPKAB", right_index=True)


def _village_status(code: str, old_names, missing_workers, index: NameIndex) -> str:
    """'no data' without rows; 'partial' when rows name only some pre-2015 parts of the unit, or
    when some of its businesses lack a worker count."""
    if not isinstance(old_names, list):
        return NO_DATA
    if pd.notna(missing_workers) and missing_workers > 0:
        return PARTIAL
    if any(pd.isna(name) for name in old_names):  # a row for the whole current unit
        return REPORTED
    constituents = {normalise_name(n) for n in index.old_names(code)}
    covered = {normalise_name(n) for n in old_names}
    return PARTIAL if constituents - covered else REPORTED


def _with_ratios(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    producers = layer["pelaku_usaha"].astype("Float64")
    workers = layer["pekerja"].astype("Float64")
    layer["pekerja_per_pelaku"] = (workers / producers.where(producers > 0)).astype(float)
    layer["pelaku_per_km2"] = (producers / layer["luas_km2"]).astype(float)
    layer["pekerja_per_km2"] = (workers / layer["luas_km2"]).astype(float)
    return layer


def _check_crosswalk_codes(crosswalk: pd.DataFrame, boundaries: Boundaries) -> None:
    loaded = set(boundaries.desa["KDPKAB"])
    known = set(boundaries.desa["KDEPUM"])
    stale = crosswalk[crosswalk["kode"].str[:5].isin(loaded) & ~crosswalk["kode"].isin(known)]
    if len(stale):
        lines = ", ".join(f"line {i} ({c})" for i, c in zip(stale.index, stale["kode"]))
        raise IndicatorTableError(f"{indicators.CROSSWALK_FILE}: codes not in the boundaries: {lines}")


def _join_unique(values) -> str:
    return "; ".join(dict.fromkeys(str(v) for v in values))
