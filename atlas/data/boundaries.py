"""Administrative boundaries (kab/kota, kecamatan, desa/kelurahan) as validated GeoDataFrames.

The villages of a whole province are parsed from the pinned upstream files and made a clean
polygonal coverage (GEOS CoverageCleaner): upstream neighbours overlap slightly; after cleaning
no two villages overlap and shared borders are identical. Gaps that upstream leaves between
villages stay gaps (closing them would assign land to a village on no evidence, and GEOS's gap
closing costs minutes for a province). Kecamatan and kab/kota polygons are the union of their
villages, so the three levels nest exactly (the upstream kecamatan and kab/kota files give only
the names). Built once, then cached as a GeoPackage per kab/kota; a cached load never parses.
Field names follow BIG's RBI administrative layers: KDPPUM/WADMPR (province), KDPKAB/WADMKK
(kab/kota), KDCPUM/WADMKC (kecamatan), KDEPUM/WADMKD (desa/kelurahan).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
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
LOG = logging.getLogger(__name__)
PARSER_VERSION = "2"  # 2: villages cleaned as a coverage, aggregates dissolved from them

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
    """Boundaries of the given kab/kota codes, from the cache or built (each province's village
    coverage cleaned at most once per call) and cached."""
    parts, coverages = [], {}
    for code in kabkota_codes:
        path = cache_path(code)
        cached = _sealed(path, _read_cache)
        if cached is not None:
            parts.append(cached)
            continue
        province = code[:2]
        if province not in coverages:
            coverages[province] = clean_villages(province)
        built = build_boundaries(code, coverages[province])
        _write_cache(built, path)
        parts.append(built)
    return Boundaries(
        desa=_concat([p.desa for p in parts]),
        kecamatan=_concat([p.kecamatan for p in parts]),
        kabkota=_concat([p.kabkota for p in parts]),
        repairs=pd.concat([p.repairs for p in parts], ignore_index=True),
    )


def cache_path(kabkota: str) -> Path:
    """GeoPackage cache file of one kab/kota, named for the pinned sums it was built from (every
    village file of the province: cleaning the coverage looks across kab/kota borders)."""
    province = kabkota[:2]
    files = [sources.kabkota_file(province), sources.kecamatan_file(province), *province_village_files(province)]
    key = hashlib.sha256(
        "|".join([PARSER_VERSION, kabkota, *(sources.expected_sum(f) for f in files)]).encode()
    ).hexdigest()[:16]
    return config.cache_dir() / "boundaries" / f"{kabkota}_{key}.gpkg"


def verify_upstream(kabkota_codes: tuple[str, ...] | list[str]) -> list[Path]:
    """Check every upstream file the given kab/kota are built from against its pinned SHA-256
    (a tampered mirror or download is an error even when the cache is intact)."""
    provinces = sorted({code[:2] for code in kabkota_codes})
    paths = [
        path
        for province in provinces
        for path in (
            sources.kabkota_file(province),
            sources.kecamatan_file(province),
            *province_village_files(province),
        )
    ]
    return [sources.obtain(path) for path in paths]


def province_village_files(province: str) -> list[str]:
    """Upstream paths of every village file of a province, from the pinned sums."""
    prefix = sources.village_file(f"{province}.00").rsplit("/", 1)[0] + "/"
    return sorted(path for path in sources.pinned_sums() if path.startswith(prefix))


def build_boundaries(kabkota: str, villages: gpd.GeoDataFrame | None = None) -> Boundaries:
    """Assemble and validate the boundaries of one kab/kota: its villages from the cleaned
    province coverage (``clean_villages``, built here when not given), kecamatan and kab/kota as
    their unions, names from the upstream kecamatan and kab/kota files."""
    province = kabkota[:2]
    if villages is None:
        villages = clean_villages(province)
    kab_rows = _read_level(sources.kabkota_file(province), lambda k: k == kabkota)
    if len(kab_rows) != 1:
        raise BoundaryValidationError(f"kab/kota {kabkota} not found in {sources.kabkota_file(province)}")
    kec_rows = _read_level(
        sources.kecamatan_file(province), lambda k: k.startswith(kabkota + ".") and k.count(".") == 2
    )
    own = villages[villages["kode"].str.startswith(kabkota + ".")]
    prov_name = config.PROVINCES.get(province, province)
    kab_name = kab_rows["nama"].iloc[0]
    kec_names = dict(zip(kec_rows["kode"], kec_rows["nama"]))
    desa = _frame(
        {
            "KDEPUM": own["kode"],
            "WADMKD": own["nama"],
            "tingkat": own["kode"].map(village_kind),
            "KDCPUM": own["kode"].str[:8],
            "WADMKC": own["kode"].str[:8].map(kec_names),
            "KDPKAB": kabkota,
            "WADMKK": kab_name,
            "KDPPUM": province,
            "WADMPR": prov_name,
        },
        own.geometry,
    )
    _validate(kabkota, desa, kec_rows)
    kec_geometry = desa.groupby("KDCPUM").geometry.agg(lambda g: shapely.coverage_union_all(g.values))
    kecamatan = _frame(
        {
            "KDCPUM": kec_geometry.index,
            "WADMKC": kec_geometry.index.map(kec_names),
            "KDPKAB": kabkota,
            "WADMKK": kab_name,
            "KDPPUM": province,
            "WADMPR": prov_name,
        },
        gpd.GeoSeries(kec_geometry.values, crs=STORAGE_CRS),
    )
    kab = _frame(
        {"KDPKAB": [kabkota], "WADMKK": [kab_name], "KDPPUM": [province], "WADMPR": [prov_name]},
        gpd.GeoSeries([shapely.coverage_union_all(desa.geometry.values)], crs=STORAGE_CRS),
    )
    repairs = own.attrs["repairs"]
    return Boundaries(desa, kecamatan, kab, repairs[repairs["kode"].str.startswith(kabkota + ".")])


def clean_villages(province: str) -> gpd.GeoDataFrame:
    """Every village of a province (kode, nama, geometry) as one clean coverage, from the cache or
    built and cached; the invalid upstream geometries repaired on the way are in
    ``.attrs["repairs"]`` (kode, nama, reason)."""
    path = _coverage_cache_path(province)
    cached = _sealed(path, _read_villages)
    if cached is not None:
        return cached
    villages = _cleaned_coverage(province)
    with atomic_path(path) as tmp:
        pyogrio.write_dataframe(villages, tmp, layer="villages", driver="GPKG")
        pyogrio.write_dataframe(villages.attrs["repairs"].astype(str), tmp, layer="repairs", driver="GPKG")
    _seal(path)
    return villages


def _read_villages(path: Path) -> gpd.GeoDataFrame:
    villages = _with_columns(pyogrio.read_dataframe(path, layer="villages"), ("kode", "nama"), path)
    repairs = pyogrio.read_dataframe(path, layer="repairs", read_geometry=False)
    villages.attrs["repairs"] = repairs.reindex(columns=["kode", "nama", "reason"])
    return villages


def _coverage_cache_path(province: str) -> Path:
    files = province_village_files(province)
    key = hashlib.sha256("|".join([PARSER_VERSION, *(sources.expected_sum(f) for f in files)]).encode())
    return config.cache_dir() / "boundaries" / f"villages_{province}_{key.hexdigest()[:16]}.gpkg"


def _cleaned_coverage(province: str) -> gpd.GeoDataFrame:
    frames = [_read_level(path, lambda k: k.count(".") == 3) for path in province_village_files(province)]
    villages = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=STORAGE_CRS)
    repairs: list[tuple[str, str, str]] = []
    villages = _repair(villages, repairs)
    villages["geometry"] = shapely.coverage_clean(np.asarray(villages.geometry.values))
    villages.attrs["repairs"] = pd.DataFrame(repairs, columns=["kode", "nama", "reason"])
    return villages


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
    """Checks of one kab/kota: unique codes, no empty village, no orphan, the known unit counts.
    ``kecamatan`` are the upstream kecamatan rows (kode, nama)."""
    problems = []
    for codes in (desa["KDEPUM"], kecamatan["kode"]):
        dupes = codes[codes.duplicated()].tolist()
        if dupes:
            problems.append(f"duplicate codes {dupes}")
    empty = desa.loc[desa.geometry.is_empty | desa.geometry.isna(), "KDEPUM"].tolist()
    if empty:
        problems.append(f"empty geometry for {empty}")
    orphans = sorted(set(desa["KDCPUM"]) - set(kecamatan["kode"]))
    if orphans:
        problems.append(f"villages in kecamatan codes missing from the kecamatan file: {orphans}")
    expected = EXPECTED_UNIT_COUNTS.get(kabkota)
    if expected and (desa["KDCPUM"].nunique(), len(desa)) != expected:
        problems.append(
            f"expected {expected[0]} kecamatan and {expected[1]} desa/kelurahan, "
            f"found {desa['KDCPUM'].nunique()} and {len(desa)}"
        )
    if not len(desa):
        problems.append("no desa/kelurahan found")
    if problems:
        raise BoundaryValidationError(f"boundaries of {kabkota}: " + "; ".join(problems))


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=STORAGE_CRS)


def _read_cache(path: Path) -> Boundaries:
    keys = {"desa": "KDEPUM", "kecamatan": "KDCPUM", "kabkota": "KDPKAB"}
    layers = {level: _with_columns(pyogrio.read_dataframe(path, layer=level), (keys[level],), path) for level in LEVELS}
    repairs = pyogrio.read_dataframe(path, layer="repairs", read_geometry=False)
    return Boundaries(**layers, repairs=repairs.reindex(columns=["kode", "nama", "reason"]))


def _write_cache(built: Boundaries, path: Path) -> None:
    with atomic_path(path) as tmp:
        for level in LEVELS:
            pyogrio.write_dataframe(built.level(level), tmp, layer=level, driver="GPKG")
        pyogrio.write_dataframe(built.repairs.astype(str), tmp, layer="repairs", driver="GPKG")
    _seal(path)


def _seal(path: Path) -> None:
    """Record the SHA-256 of a cache file beside it, so a changed file is noticed."""
    with atomic_path(_seal_path(path)) as tmp:
        tmp.write_text(sources.sha256_of(path) + "\n", encoding="ascii")


def _with_columns(frame: gpd.GeoDataFrame, columns: tuple[str, ...], path: Path) -> gpd.GeoDataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing or frame.empty:
        raise BoundaryValidationError(f"{path.name} lacks {missing or 'rows'}")
    return frame


def _sealed(path: Path, read):
    """What ``read`` makes of the cache file at ``path`` when it is intact and readable; None
    otherwise (the file removed, so that it is rebuilt from the verified upstream files)."""
    if not _intact(path):
        return None
    try:
        return read(path)
    except Exception as exc:  # sealed, yet unreadable: changed together with its seal, or a damaged disk
        LOG.warning("the boundary cache %s cannot be read (%s): rebuilding it", path.name, type(exc).__name__)
        path.unlink(missing_ok=True)
        _seal_path(path).unlink(missing_ok=True)
        return None


def _intact(path: Path) -> bool:
    """True when the cache file exists and is exactly what was written; a changed or unsealed
    one is removed (it is rebuilt from the verified upstream files) and reported."""
    if not path.is_file():
        return False
    seal = _seal_path(path)
    recorded = seal.read_text(encoding="ascii").strip() if seal.is_file() else ""
    if recorded == sources.sha256_of(path):
        return True
    LOG.warning(
        "the boundary cache %s was changed since it was built: rebuilding it from the verified upstream files",
        path.name,
    )
    path.unlink()
    seal.unlink(missing_ok=True)
    return False


def _seal_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")
