"""atlas prepare: verify the pinned boundary files and build the cache."""

from __future__ import annotations

from atlas import config
from atlas.analysis.layers import build_layers
from atlas.cli.arguments import region_argument
from atlas.data.boundaries import load_boundaries, verify_upstream


def arguments(parser) -> None:
    region_argument(parser)


def run(args) -> int:
    codes = config.region_codes(args.region)
    checked = verify_upstream(codes)
    print(f"upstream files verified: {len(checked)} (SHA-256 as pinned)")
    boundaries = load_boundaries(codes)
    print(f"boundaries ready: {len(boundaries.desa)} desa/kelurahan in {args.region}")
    for repair in boundaries.repairs.itertuples():
        print(f"  repaired the invalid upstream geometry of {repair.kode} {repair.nama}: {repair.reason}")
    build_layers(args.region)
    return 0
