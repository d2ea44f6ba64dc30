"""Administrative boundaries (kab/kota, kecamatan, desa/kelurahan) as validated GeoDataFrames.

Parsed once from the pinned upstream files, then cached as a GeoPackage per kab/kota in the cache
folder; a cached load reads the GeoPackage and never re-parses. Field names follow BIG's RBI
administrative layers: KDPPUM/WADMPR (province), KDPKAB/WADMKK (kab/kota), KDCPUM/WADMKC
(kecamatan), KDEPUM/WADMKD (desa/kelurahan).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from atlas import config
from atlas.atomic import atomic_path
from atlas.data import sources
from atlas.data.wilayah_sql import iter_rows
from atlas.errors import BoundaryValidationError, UnknownLevelError
from atlas.fields import LEVELS

STORAGE_CRS = "EPSG:4326"
AREA_CRS = "EPSG:32749"  # UTM zone 49S
PARSER_VERSION = "1"

#: Expected unit counts (kecamatan, desa/kelurahan) where an official figure is known:
#: Kota Pekalongan, Perda Kota Pekalongan No. 8/2013 (4 kecamatan, 27 kelurahan);
#: Kabupaten Pekalongan, Kompaspedia profile (19 kecamatan, 285 desa/kelurahan).
EXPECTED_UNIT_COUNTS = {"33.75": (4, 27), "33.26": (19, 285)}


@dataclass(frozen=True)
class Boundaries:
    """The three administrative levels of one or more kab/kota, plus geometry repairs made."""

    desa: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    kabkota: gpd.GeoDataFrame
    repairs: pd.DataFrame  # kode, nama, reason

    def level(self, name: str) -> gpd.GeoDataFrame:
        """The layer of one level: 'desa', 'kecamatan' or 'kabkota'."""
        if name not in LEVELS:
            raise UnknownLevelError(f"unknown level {name!r}: use one of {', '.join(LEVELS)}")
        return getattr(self, name)


def load_boundaries(kabkota_codes: tuple[str, ...] | list[str]) -> Boundaries:
    """Boundaries of the given kab/kota codes, from the cache or parsed and cached."""
    parts = [_load_one(code) for code in kabkota_codes]
    return Boundaries(
        desa=_concat([p.desa for p in parts]),
        kecamatan=_concat([p.kecamatan for p in parts]),
        kabkota=_concat([p.kabkota for p in parts]),
        repairs=pd.concat([p.repairs for p in parts], ignore_index=True),
    )


def cache_path(kabkota: str) -> Path:
    """GeoPackage cache file of one kab/kota, named for the pinned sums it was built from."""
    province = kabkota[:2]
    files = [sources.kabkota_file(province), sources.kecamatan_file(province), sources.village_file(kabkota)]
    key = hashlib.sha256(
        "|".join([PARSER_VERSION, kabkota, *(sources.expected_sum(f) for f in files)]).encode()
    ).hexdigest()[:16]
    return config.cache_dir() / "boundaries" / f"{kabkota}_{key}.gpkg"


def _load_one(kabkota: str) -> Boundaries:
    path = cache_path(kabkota)
    if path.is_file():
        return _read_cache(path)
    built = build_boundaries(kabkota)
    _write_cache(built, path)
    return built


def build_boundaries(kabkota: str) -> Boundaries:
    """Parse, assemble and validate the boundaries of one kab/kota from the upstream files."""
    province = kabkota[:2]
    kab_rows = _read_level(sources.kabkota_file(province), lambda k: k == kabkota)
    kec_rows = _read_level(
        sources.kecamatan_file(province), lambda k: k.startswith(kabkota + ".") and k.count(".") == 2
    )
    desa_rows = _read_level(sources.village_file(kabkota), lambda k: k.startswith(kabkota + ".") and k.count(".") == 3)
    if len(kab_rows) != 1:
        raise BoundaryValidationError(f"kab/kota {kabkota} not found in {sources.kabkota_file(province)}")
    repairs: list[tuple[str, str, str]] = []
    kab_rows, kec_rows, desa_rows = (_repair(rows, repairs) for rows in (kab_rows, kec_rows, desa_rows))

    prov_name = config.PROVINCES.get(province, province)
    kab_name = kab_rows["nama"].iloc[0]
    kec_names = dict(zip(kec_rows["kode"], kec_rows["nama"]))
    desa = _frame(
        {
            "KDEPUM": desa_rows["kode"],
            "WADMKD": desa_rows["nama"],
            "tingkat": desa_rows["kode"].map(village_kind),
            "KDCPUM": desa_rows["kode"].str[:8],
            "WADMKC": desa_rows["kode"].str[:8].map(kec_names),
            "KDPKAB": kabkota,
            "WADMKK": kab_name,
            "KDPPUM": province,
            "WADMPR": prov_name,
        },
        desa_rows.geometry,
    )
    kecamatan = _frame(
        {
            "KDCPUM": kec_rows["kode"],
            "WADMKC": kec_rows["nama"],
            "KDPKAB": kabkota,
            "WADMKK": kab_name,
            "KDPPUM": province,
            "WADMPR": prov_name,
        },
        kec_rows.geometry,
    )
    kab = _frame(
        {"KDPKAB": kab_rows["kode"], "WADMKK": kab_rows["nama"], "KDPPUM": province, "WADMPR": prov_name},
        kab_rows.geometry,
    )
    _validate(kabkota, desa, kecamatan)
    return Boundaries(desa, kecamatan, kab, pd.DataFrame(repairs, columns=["kode", "nama", "reason"]))


def village_kind(kode: str) -> str:
    """'kelurahan' or 'desa', from the first digit of the code's fourth part (1 or 2)."""
    first = kode.split(".")[3][:1]
    if first == "1":
        return "kelurahan"
    if first == "2":
        return "desa"
    raise BoundaryValidationError(f"village code {kode} is neither kelurahan (1...) nor desa (2...)")


def _read_level(path: str, keep) -> gpd.GeoDataFrame:
    local = sources.obtain(path)
    text = local.read_text(encoding="utf-8")
    rows = list(iter_rows(text, keep, source=str(local)))
    return gpd.GeoDataFrame(
        {"kode": [r.kode for r in rows], "nama": [r.nama for r in rows]},
        geometry=[r.geometry for r in rows],
        crs=STORAGE_CRS,
    )


def _repair(rows: gpd.GeoDataFrame, repairs: list) -> gpd.GeoDataFrame:
    """Make invalid geometries valid (keeping polygonal parts) and note each repair."""
    invalid = ~rows.geometry.is_valid
    for idx in rows.index[invalid]:
        geom = rows.geometry[idx]
        repairs.append((rows.at[idx, "kode"], rows.at[idx, "nama"], shapely.is_valid_reason(geom)))
        fixed = shapely.make_valid(geom)
        if fixed.geom_type == "GeometryCollection":
            fixed = shapely.union_all([g for g in fixed.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
        rows.loc[idx, "geometry"] = fixed
    return rows


def _frame(columns: dict, geometry: gpd.GeoSeries) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(pd.DataFrame(columns), geometry=geometry.values, crs=STORAGE_CRS)
    frame.insert(len(columns), "luas_km2", frame.geometry.to_crs(AREA_CRS).area / 1e6)
    return frame


def _validate(kabkota: str, desa: gpd.GeoDataFrame, kecamatan: gpd.GeoDataFrame) -> None:
    problems = []
    for layer, key in ((desa, "KDEPUM"), (kecamatan, "KDCPUM")):
        dupes = layer[key][layer[key].duplicated()].tolist()
        if dupes:
            problems.append(f"duplicate codes {dupes}")
        empty = layer.loc[layer.geometry.is_empty | layer.geometry.isna(), key].tolist()
        if empty:
            problems.append(f"empty geometry for {empty}")
    orphans = sorted(set(desa["KDCPUM"]) - set(kecamatan["KDCPUM"]))
    if orphans:
        problems.append(f"villages in kecamatan codes missing from the kecamatan file: {orphans}")
    expected = EXPECTED_UNIT_COUNTS.get(kabkota)
    if expected and (len(kecamatan), len(desa)) != expected:
        problems.append(
            f"expected {expected[0]} kecamatan and {expected[1]} desa/kelurahan, found {len(kecamatan)} and {len(desa)}"
        )
    if not len(desa):
        problems.append("no desa/kelurahan found")
    if problems:
        raise BoundaryValidationError(f"boundaries of {kabkota}: " + "; ".join(problems))


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=STORAGE_CRS)


def _read_cache(path: Path) -> Boundaries:
    layers = {level: pyogrio.read_dataframe(path, layer=level) for level in LEVELS}
    repairs = pyogrio.read_dataframe(path, layer="repairs", read_geometry=False)
    return Boundaries(**layers, repairs=repairs.reindex(columns=["kode", "nama", "reason"]))


def _write_cache(built: Boundaries, path: Path) -> None:
    with atomic_path(path) as tmp:
        for level in LEVELS:
            pyogrio.write_dataframe(built.level(level), tmp, layer=level, driver="GPKG")
        pyogrio.write_dataframe(built.repairs.astype(str), tmp, layer="repairs", driver="GPKG")
