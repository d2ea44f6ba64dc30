"""atlas map: one self-contained HTML map that opens offline."""

from __future__ import annotations

from atlas.analysis.layers import build_layers
from atlas.atomic import atomic_path
from atlas.cli.arguments import dataset_arguments, output_arguments, region_argument, whole_number
from atlas.errors import OptionError
from atlas.fields import CODE_FIELD, LEVELS
from atlas.render.classify import MAX_CLASSES, MIN_CLASSES, PALETTES, SCHEMES, parse_breaks
from atlas.render.i18n import DEFAULT_LANGUAGE, LANGUAGES
from atlas.render.maps import MapChoice, standalone_html
from atlas.render.measures import VIEWS, all_fields
from atlas.render.presentation import layer_sources
from atlas.render.topology import browser_topology


def arguments(parser) -> None:
    parser.add_argument("--view", choices=sorted(VIEWS), default="production")
    parser.add_argument(
        "--measure", choices=all_fields(), help="field to map (default: the view's first, e.g. pelaku_usaha)"
    )
    parser.add_argument("--level", choices=LEVELS, default="desa")
    region_argument(parser)
    dataset_arguments(parser)
    parser.add_argument("--scheme", choices=SCHEMES, default="quantiles")
    parser.add_argument(
        "--classes",
        type=whole_number(MIN_CLASSES, MAX_CLASSES),
        default=5,
        help=f"number of classes, {MIN_CLASSES} to {MAX_CLASSES} (default 5)",
    )
    parser.add_argument("--breaks", help="class breaks for --scheme user_defined, e.g. 10,50,100")
    parser.add_argument("--palette", choices=sorted(PALETTES), default="YlOrBr")
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    output_arguments(parser, "output .html file")


def run(args) -> int:
    field = args.measure or VIEWS[args.view][0]
    if field not in VIEWS[args.view]:
        raise OptionError(f"--measure {field} is not part of the {args.view} view")
    layer = build_layers(args.region, year=args.year, source=args.source).level(args.level)
    choice = MapChoice(
        level=args.level,
        field=field,
        scheme=args.scheme,
        k=args.classes,
        palette=args.palette,
        lang=args.lang,
        breaks=parse_breaks(args.breaks),
    )
    html = standalone_html(
        layer, browser_topology(layer, CODE_FIELD[args.level]), choice, layer_sources(layer, choice.lang)
    )
    with atomic_path(args.out, force=args.force) as tmp:
        tmp.write_text(html, encoding="utf-8")
    print(f"wrote the {args.view} map ({field}, {len(layer)} {args.level} units) to {args.out}")
    return 0
