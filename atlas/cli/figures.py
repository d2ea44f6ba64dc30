"""atlas figures: the paper's Gambar 1-4 as PNG (300 dpi), SVG and PDF."""

from __future__ import annotations

from atlas.analysis.layers import build_layers
from atlas.cli.arguments import dataset_arguments
from atlas.render.figures import write_figures
from atlas.render.i18n import LANGUAGES


def arguments(parser) -> None:
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--lang", choices=LANGUAGES, help="one language (default: both)")
    dataset_arguments(parser)


def run(args) -> int:
    layers = build_layers("all", year=args.year, source=args.source)
    for lang in [args.lang] if args.lang else LANGUAGES:
        for path in write_figures(layers, args.out, lang):
            print(path)
    return 0
