"""The batik value chain (paper, Gambar 3): five actors, their unit economics and margins, and
the owner-worker gap per kelurahan.

Per piece of batik cloth: the supplier (pemasok) sells materials to the owner (pemilik/juragan);
the owner pays a making fee to the maker (pengrajin), who pays the worker (buruh) a wage per piece;
the owner sells to the trader (pedagang), who sells to the final buyer. Every input value is either
sourced or a labelled scenario (``geodata/margin_parameters.csv``). The chain must close: what one
actor pays is what the next receives, so the margins plus the supplier's own inputs add up to the
final price.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas import config
from atlas.errors import MarginInputError

PARAMETERS_FILE = config.GEODATA_DIR / "margin_parameters.csv"
UMK_FILE = config.GEODATA_DIR / "umk_pekalongan.csv"
ACTORS = ("pemasok", "buruh", "pengrajin", "pemilik", "pedagang")
PARAMETERS = ("harga_masuk", "harga_keluar", "unit_per_bulan")
SOURCED, SCENARIO = "sourced", "scenario"
#: price in of an actor = sum of the prices out of these actors (the chain's links)
LINKS = {"pengrajin": ("buruh",), "pemilik": ("pemasok", "pengrajin"), "pedagang": ("pemilik",)}
TOLERANCE = 0.5  # rupiah


@dataclass(frozen=True)
class Value:
    """One input with its provenance: 'sourced' (with source and year) or 'scenario'."""

    value: float
    status: str
    source: str
    year: int


@dataclass(frozen=True)
class MarginModel:
    """Validated value-chain inputs, keyed by (actor, parameter)."""

    values: dict

    def __post_init__(self):
        _validate(self.values)

    def get(self, actor: str, parameter: str) -> float:
        return self.values[(actor, parameter)].value

    @property
    def wage_year(self) -> int:
        """Year of the worker's wage per piece: the natural UMK year to compare it with."""
        return self.values[("buruh", "harga_keluar")].year

    @property
    def final_price(self) -> float:
        return self.get("pedagang", "harga_keluar")

    def with_inputs(self, changes: dict) -> MarginModel:
        """A copy with ``changes`` {(actor, parameter): value} marked as scenario inputs; the
        linked prices in (what the next actor pays) follow."""
        values = dict(self.values)
        for key, value in changes.items():
            if key not in values:
                raise MarginInputError(f"unknown input {key}: actors {ACTORS}, parameters {PARAMETERS}")
            if float(value) != values[key].value:
                values[key] = Value(float(value), SCENARIO, "scenario: set by the user", values[key].year)
        for actor, upstream in LINKS.items():
            linked = sum(values[(a, "harga_keluar")].value for a in upstream)
            values[(actor, "harga_masuk")] = replace(values[(actor, "harga_masuk")], value=linked)
        return MarginModel(values)

    def table(self) -> pd.DataFrame:
        """Per actor: prices, margin per piece and per month, and share of the final price."""
        rows = []
        for actor in ACTORS:
            price_in, price_out = self.get(actor, "harga_masuk"), self.get(actor, "harga_keluar")
            units = self.get(actor, "unit_per_bulan")
            margin = price_out - price_in
            rows.append(
                {
                    "aktor": actor,
                    "harga_masuk": price_in,
                    "harga_keluar": price_out,
                    "margin_per_unit": margin,
                    "unit_per_bulan": units,
                    "margin_per_bulan": margin * units,
                    "bagian_harga_akhir": margin / self.final_price,
                }
            )
        return pd.DataFrame(rows).set_index("aktor")

    def outside_share(self) -> float:
        """Share of the final price paid for the supplier's own inputs (outside the five actors)."""
        return self.get("pemasok", "harga_masuk") / self.final_price

    def scenario_inputs(self) -> list[tuple[str, str]]:
        """(actor, parameter) of every input that is a scenario, not a sourced value."""
        return [key for key, value in self.values.items() if value.status == SCENARIO]

    def provenance(self, actor: str, parameter: str) -> str:
        value = self.values[(actor, parameter)]
        return f"{value.source} ({value.year})" if value.status == SOURCED else "scenario"


def load_model(path: Path = PARAMETERS_FILE) -> MarginModel:
    """Read and validate the parameter file: every actor and parameter once, numbers >= 0."""
    values, problems = {}, []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            actor, parameter = (row.get("aktor") or "").strip(), (row.get("parameter") or "").strip()
            where = f"{Path(path).name}, line {line}"
            if actor not in ACTORS:
                problems.append(f"{where}: unknown actor {actor!r} (use {', '.join(ACTORS)})")
                continue
            if parameter not in PARAMETERS:
                problems.append(f"{where}: unknown parameter {parameter!r} (use {', '.join(PARAMETERS)})")
                continue
            if (actor, parameter) in values:
                problems.append(f"{where}: {actor}.{parameter} is given twice")
                continue
            status = (row.get("status") or "").strip()
            if status not in (SOURCED, SCENARIO):
                problems.append(f"{where}: status {status!r} must be {SOURCED} or {SCENARIO}")
                continue
            try:
                number, year = float(row["nilai"]), int(row["tahun"])
            except (TypeError, ValueError):
                problems.append(
                    f"{where}: {actor}.{parameter} value {row.get('nilai')!r} or year "
                    f"{row.get('tahun')!r} is not a number"
                )
                continue
            values[(actor, parameter)] = Value(number, status, (row.get("sumber") or "").strip(), year)
    if problems:
        raise MarginInputError("; ".join(problems))
    return MarginModel(values)


def _validate(values: dict) -> None:
    missing = [f"{a}.{p}" for a in ACTORS for p in PARAMETERS if (a, p) not in values]
    if missing:
        raise MarginInputError(f"missing inputs: {', '.join(missing)}")
    problems = []
    for (actor, parameter), value in values.items():
        if not math.isfinite(value.value) or value.value < 0:
            problems.append(f"{actor}.{parameter} = {value.value:g} must be a number of 0 or more")
    for actor in ACTORS:
        price_in, price_out = values[(actor, "harga_masuk")].value, values[(actor, "harga_keluar")].value
        if price_out < price_in:
            problems.append(
                f"{actor} sells at {price_out:,.0f} below what it pays ({price_in:,.0f}): its margin would be negative"
            )
    for actor, upstream in LINKS.items():
        paid = values[(actor, "harga_masuk")].value
        received = sum(values[(a, "harga_keluar")].value for a in upstream)
        if abs(paid - received) > TOLERANCE:
            problems.append(
                f"the shares do not close: {actor} pays {paid:,.0f} per piece but "
                f"{' + '.join(upstream)} receive {received:,.0f}"
            )
    if values[("pedagang", "harga_keluar")].value <= 0:
        problems.append("the final price (pedagang.harga_keluar) must be above 0")
    if problems:
        raise MarginInputError("; ".join(problems))


def load_umk(path: Path = UMK_FILE) -> pd.DataFrame:
    """Regional minimum wages (UMK), Rp per month, by year and kab/kota code, with sources."""
    return pd.read_csv(path, dtype={"kode": str})


def margin_layer(
    layer: gpd.GeoDataFrame, model: MarginModel, umk_year: int, umk: pd.DataFrame | None = None
) -> gpd.GeoDataFrame:
    """Per unit: workers per producer, the estimated monthly wage bill of its batik workers against
    the owners' margin pool, and a worker's estimated earnings as a share of that year's UMK.
    Units without counts stay empty (no data). Each estimate carries its provenance in ``asal_*``."""
    umk = load_umk() if umk is None else umk
    year_umk = umk[umk["tahun"] == umk_year].set_index("kode")
    if year_umk.empty:
        raise MarginInputError(f"no UMK for {umk_year}; available: {sorted(umk['tahun'].unique())}")
    table = model.table()
    worker_month = table.loc["buruh", "margin_per_bulan"]
    owner_month = table.loc["pemilik", "margin_per_bulan"]
    out = layer.copy()
    workers, producers = out["pekerja"].astype("Float64"), out["pelaku_usaha"].astype("Float64")
    has_counts = workers.notna() & producers.notna()
    out["upah_buruh_bulanan"] = np.where(has_counts, worker_month, np.nan)
    out["tagihan_upah"] = (workers * worker_month).astype(float)
    out["margin_pemilik"] = (producers * owner_month).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["rasio_upah_margin"] = out["tagihan_upah"] / out["margin_pemilik"].where(out["margin_pemilik"] > 0)
    region_umk = out["KDPKAB"].map(year_umk["umk"]).astype(float)
    out["umk"] = np.where(has_counts, region_umk, np.nan)
    out["persen_umk"] = 100 * out["upah_buruh_bulanan"] / out["umk"]
    wage = (
        f"buruh wage per piece: {model.provenance('buruh', 'harga_keluar')}; pieces per month: "
        f"{model.provenance('buruh', 'unit_per_bulan')}"
    )
    owner = "owner margin per piece and pieces per month: " + ", ".join(
        model.provenance("pemilik", p) for p in PARAMETERS
    )
    out["asal_tagihan_upah"] = pd.Series(f"pekerja: {_counts_source(out)}; {wage}", index=out.index).where(has_counts)
    out["asal_margin_pemilik"] = pd.Series(f"pelaku_usaha: {_counts_source(out)}; {owner}", index=out.index).where(
        has_counts
    )
    umk_source = out["KDPKAB"].map(year_umk["sumber"]).astype(str) + f" (UMK {umk_year}); {wage}"
    out["asal_persen_umk"] = umk_source.where(has_counts)
    return out


def _counts_source(layer: gpd.GeoDataFrame) -> str:
    return "; ".join(dict.fromkeys(layer["sumber"].dropna().astype(str))) or "no counts"


def margin_metadata(model: MarginModel, umk_year: int) -> dict[str, str]:
    """Every value-chain input with its provenance (sourced or scenario), for exports."""
    meta = {
        "model_margin": "atlas.analysis.margin: rantai nilai 5 pelaku per kain; perkiraan = jumlah x masukan",
        "tahun_umk": str(umk_year),
    }
    for (actor, parameter), value in model.values.items():
        label = f"{value.source} ({value.year})" if value.status == SOURCED else f"SCENARIO: {value.source}"
        meta[f"{actor}.{parameter}"] = f"{value.value:,.0f}; {label}"
    return meta
