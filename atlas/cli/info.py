"""atlas info: what is loaded, per kab/kota, with the published totals."""

from __future__ import annotations

import pandas as pd

from atlas.analysis.layers import build_layers
from atlas.cli.arguments import dataset_arguments, region_argument
from atlas.data.indicators import load_totals


def arguments(parser) -> None:
    region_argument(parser)
    dataset_arguments(parser)


def run(args) -> int:
    layers = build_layers(args.region, year=args.year, source=args.source)
    totals = load_totals()
    print(f"Batik Atlas of Pekalongan: region {args.region}, dataset {layers.dataset.label}")
    for row in layers.kabkota.itertuples():
        print(f"\n{row.WADMKK} ({row.KDPKAB}), {row.luas_km2:.1f} km2 (computed, UTM 49S)")
        print(f"  desa/kelurahan: {row.jumlah_unit}, with counts: {row.unit_berdata}, status: {row.status_data}")
        print(f"  producers: {_count(row.pelaku_usaha)}, workers: {_count(row.pekerja)} (sum of reported units)")
        for total in totals[totals["kode"] == row.KDPKAB].itertuples():
            approx = "~" if total.perkiraan == "yes" else ""
            print(f"  published: {total.indikator} {approx}{total.nilai:,} ({total.tahun}, {total.sumber})")
    kec = layers.kecamatan
    print(f"\nkecamatan: {len(kec)}, with counts: {int((kec['unit_berdata'] > 0).sum())}")
    counts = layers.desa["status_data"].value_counts()
    print("village data status: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _count(value) -> str:
    return "no data" if pd.isna(value) else f"{int(value):,}"
