"""atlas figures: the paper's Gambar 1-4 as PNG (300 dpi), SVG and PDF; with --years, the same
map for several years side by side (small multiples) instead."""

from __future__ import annotations

from atlas.analysis.layers import build_layers
from atlas.analysis.series import TOLERANCE_YEARS
from atlas.cli.arguments import dataset_arguments, whole_number
from atlas.errors import OptionError
from atlas.render.figures import write_figures
from atlas.render.i18n import LANGUAGES


def arguments(parser) -> None:
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--lang", choices=LANGUAGES, help="one language (default: both)")
    dataset_arguments(parser)
    parser.add_argument(
        "--years", help="small multiples of these years instead, e.g. 2017,2020,2024 (producers and workers)"
    )
    parser.add_argument("--region", default="kota", help="--years: the region drawn (default: kota)")
    parser.add_argument(
        "--tolerance",
        type=whole_number(0, 50),
        default=TOLERANCE_YEARS,
        help=f"--years: years a value may be carried forward (default: {TOLERANCE_YEARS})",
    )


def run(args) -> int:
    if args.years:
        return _small_multiples(args)
    layers = build_layers("all", year=args.year, source=args.source)
    for lang in [args.lang] if args.lang else LANGUAGES:
        for path in write_figures(layers, args.out, lang):
            print(path)
    return 0


def _small_multiples(args) -> int:
    from atlas.analysis.series import unit_series
    from atlas.render.small_multiples import write_small_multiples

    try:
        years = sorted({int(part) for part in args.years.split(",") if part.strip()})
    except ValueError:
        raise OptionError(f"--years {args.years!r}: give years such as 2017,2020,2024") from None
    series = unit_series(args.region, "desa", args.tolerance)
    for lang in [args.lang] if args.lang else LANGUAGES:
        for path in write_small_multiples(series, years, args.out, lang):
            print(path)
    return 0
