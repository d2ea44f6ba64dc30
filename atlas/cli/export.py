"""atlas export: the counts, margin or change layer as a GIS file."""

from __future__ import annotations

from pathlib import Path

from atlas.analysis.layers import build_layers
from atlas.analysis.margin import load_model, load_umk
from atlas.analysis.series import TOLERANCE_YEARS
from atlas.cli.arguments import (
    csv_style_argument,
    dataset_arguments,
    output_arguments,
    region_argument,
    whole_number,
)
from atlas.errors import OptionError
from atlas.fields import LEVELS
from atlas.io.export import FORMATS, Product, format_of, write_product
from atlas.io.products import change_product, counts_product, margin_product, series_product

LAYERS = ("counts", "margin", "change", "series")  # what `atlas export --layer` writes


def arguments(parser) -> None:
    parser.add_argument(
        "--layer",
        choices=LAYERS,
        default="counts",
        help="counts (default), margin (the value-chain estimates), change (between two years) or series "
        "(one row per unit and year)",
    )
    parser.add_argument("--level", choices=LEVELS, default="desa")
    region_argument(parser)
    dataset_arguments(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="geojson, gpkg (all levels + metadata), shp (zipped), csv or xlsx (default: from the --out name)",
    )
    output_arguments(parser, "output file")
    csv_style_argument(parser)
    margin = parser.add_argument_group("--layer margin")
    margin.add_argument(
        "--umk-year",
        type=int,
        help="year of the minimum wage (UMK) to compare with (default: the year of the sourced wage)",
    )
    margin.add_argument("--parameters", help="value-chain inputs (CSV like geodata/margin_parameters.csv)")
    change = parser.add_argument_group("--layer change")
    change.add_argument("--from", dest="start", type=int, help="year of the earlier dataset")
    change.add_argument("--from-source", help="source of the earlier dataset, when its year has several")
    change.add_argument("--to", dest="end", type=int, help="year of the later dataset (default: the latest)")
    series = parser.add_argument_group("--layer series")
    series.add_argument(
        "--tolerance",
        type=whole_number(0, 50),
        default=TOLERANCE_YEARS,
        help=f"years a value may be carried to a later year without one (default: {TOLERANCE_YEARS})",
    )


def run(args) -> int:
    fmt = _output_format(args.out, args.format)
    product = _product(args)
    path = write_product(product, args.level, fmt, args.out, force=args.force, csv_style=args.csv_style)
    what = (
        ", ".join(product.levels) + " layers"
        if fmt == "gpkg"
        else f"{len(product.levels[args.level])} {args.level} features"
    )
    meta = product.metadata
    dataset = meta.get("perubahan") or f"{meta['tahun_data']}: {meta['sumber_data']}"
    print(f"wrote the {args.layer} layer ({what}; {dataset}) to {path}")
    return 0


def _output_format(out: str, asked: str | None) -> str:
    """The export format: ``--format``, or what the ``--out`` name ends in; the two must agree."""
    named = format_of(out)
    if asked and asked != named:
        raise OptionError(f"--out {Path(out).name} is a {named} name but --format is {asked}: make them agree")
    return named


def _product(args) -> Product:
    """The layer ``atlas export`` was asked for."""
    if args.layer == "series":
        return series_product(args.region, args.tolerance)
    if args.layer == "change":
        if args.start is None:
            raise OptionError("--layer change needs --from YEAR (the earlier dataset)")
        end_year = args.end if args.end is not None else args.year
        before = build_layers(args.region, year=args.start, source=args.from_source)
        after = build_layers(args.region, year=end_year, source=args.source)
        if before.dataset == after.dataset:
            raise OptionError(f"--from and --to name the same dataset ({after.dataset.label}): compare two")
        return change_product(before, after)
    layers = build_layers(args.region, year=args.year, source=args.source)
    if args.layer == "margin":
        model = load_model(Path(args.parameters)) if args.parameters else load_model()
        return margin_product(layers, model, args.umk_year or model.wage_year, load_umk())
    return counts_product(layers)
