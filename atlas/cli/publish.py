"""atlas publish: the package the office publishes (Shapefile, GeoPackage, ISO 19139 records, a Data Package)."""

from __future__ import annotations

from atlas.cli.arguments import output_arguments, region_argument


def arguments(parser) -> None:
    region_argument(parser)
    output_arguments(parser, "the folder to write the package into")


def run(args) -> int:
    from atlas.io.packages import publish

    out = publish(args.out, args.region, force=args.force)
    files = sorted(p.name for p in out.iterdir())
    print(f"wrote the publication package to {out}: {len(files)} entries ({', '.join(files[:4])}, ...)")
    return 0
