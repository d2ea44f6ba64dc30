"""atlas overlay: raster or vector statistics per unit, joined to the batik layer."""

from __future__ import annotations

from pathlib import Path

from atlas.analysis.cluster import LOCAL
from atlas.analysis.layers import build_layers
from atlas.analysis.overlay import STATISTICS, overlay_layer, overlay_metadata
from atlas.analysis.rasters import is_raster_file
from atlas.analysis.vector_overlay import FILLS, vector_metadata, vector_overlay_layer
from atlas.analysis.vectors import read_vector
from atlas.cli.arguments import (
    csv_style_argument,
    dataset_arguments,
    output_arguments,
    progress_bar,
    region_argument,
    whole_number,
)
from atlas.errors import OptionError, OutputExistsError
from atlas.fields import LEVELS
from atlas.io.export import format_of, write_product
from atlas.io.products import overlay_product


def arguments(parser) -> None:
    parser.add_argument(
        "file", help="a GeoTIFF, or a vector file (GPKG, GeoJSON, zipped Shapefile, KML, FlatGeobuf, CSV lon/lat)"
    )
    rasters = parser.add_argument_group("rasters")
    rasters.add_argument(
        "--stats",
        default="mean,min,max,coverage",
        help=f"comma-separated, from {','.join(STATISTICS)} (default mean,min,max,coverage)",
    )
    rasters.add_argument("--band", type=whole_number(1), default=1)
    rasters.add_argument("--categorical", action="store_true", help="also the share of each class value")
    rasters.add_argument(
        "--band-years",
        nargs="?",
        const="",
        help="the bands are years: one row per unit and year, beside the batik values of that year; "
        "name them (2016,2017,...) or leave it empty to read the band descriptions",
    )
    rasters.add_argument(
        "--scheduler",
        help=f"run the bands on Dask: '{LOCAL}' (a cluster on this machine) or a scheduler address "
        "(tcp://host:8786; the raster must be at a path every worker can read)",
    )
    vectors = parser.add_argument_group("vector files")
    vectors.add_argument("--attribute", help="points: the numeric attribute to summarise (count/mean/min/max)")
    vectors.add_argument("--classes", help="polygons: the attribute whose classes get a share each")
    vectors.add_argument(
        "--fill", choices=FILLS, default="none", help="points: a value for units without points (nearest, idw)"
    )
    vectors.add_argument("--vector-layer", help="the layer to read, when the file holds several")
    parser.add_argument("--level", choices=LEVELS, default="desa")
    region_argument(parser)
    dataset_arguments(parser)
    output_arguments(parser, "output .geojson, .gpkg or .csv (also .zip, .xlsx)")
    csv_style_argument(parser)


def run(args) -> int:
    fmt = format_of(args.out)
    if Path(args.out).exists() and not args.force:
        raise OutputExistsError(f"{args.out} exists; use --force to overwrite it")
    if not is_raster_file(args.file):
        return _vector_overlay(args, fmt)
    stats = tuple(s.strip() for s in args.stats.split(",") if s.strip())
    if args.band_years is not None:
        return _yearly_overlay(args, fmt, stats)
    layers = build_layers(args.region, year=args.year, source=args.source)
    joined = overlay_layer(
        layers,
        args.level,
        args.file,
        args.band,
        stats,
        categorical=args.categorical,
        progress=progress_bar,
        scheduler=args.scheduler,
    )
    product = overlay_product(layers, args.level, joined, overlay_metadata(args.file, args.band, args.categorical))
    write_product(product, args.level, fmt, args.out, force=args.force, csv_style=args.csv_style)
    counts = joined["r_cakupan"].value_counts()
    print(
        f"wrote {len(joined)} {args.level} units with {', '.join(stats)} of band {args.band} to "
        f"{args.out}; raster covers {counts.get('full', 0)} fully, {counts.get('partial', 0)} partly, "
        f"{counts.get('none', 0)} not at all"
    )
    return 0


def _vector_overlay(args, fmt: str) -> int:
    vector = read_vector(args.file, layer=args.vector_layer)
    layers = build_layers(args.region, year=args.year, source=args.source)
    options = {"attribute": args.attribute, "classes": args.classes, "fill": args.fill}
    joined = vector_overlay_layer(layers, args.level, vector, **options)
    product = overlay_product(layers, args.level, joined, vector_metadata(vector, **options))
    write_product(product, args.level, fmt, args.out, force=args.force, csv_style=args.csv_style)
    repaired = f"; {vector.repaired} invalid geometries repaired" if vector.repaired else ""
    print(
        f"wrote {len(joined)} {args.level} units with the statistics of {len(vector.frame)} {vector.kind} "
        f"features ({vector.name}, {vector.crs}) to {args.out}{repaired}"
    )
    return 0


def _yearly_overlay(args, fmt: str, stats: tuple[str, ...]) -> int:
    from atlas.analysis.overlay_years import band_years, yearly_overlay
    from atlas.io.export import Product

    try:
        given = [int(part) for part in args.band_years.split(",") if part.strip()]
    except ValueError:
        raise OptionError(f"--band-years {args.band_years!r}: give years such as 2016,2017,2018") from None
    years = band_years(args.file, given or None)
    joined = yearly_overlay(args.region, args.level, args.file, years, stats, progress=progress_bar)
    meta = {
        **overlay_metadata(args.file, 1, False),
        "pita_tahun": ", ".join(f"{band}: {year}" for band, year in years.items()),
        "catatan": "Satu baris per wilayah dan tahun pita / one row per unit and band year",
    }
    write_product(Product("lingkungan", {args.level: joined}, meta), args.level, fmt, args.out, force=args.force)
    print(f"wrote {len(joined)} rows ({args.level} units x {len(years)} band years) to {args.out}")
    return 0
