"""atlas template: a counts template to fill in (.xlsx or .csv)."""

from __future__ import annotations

from atlas.cli.arguments import output_arguments, region_argument
from atlas.intake.template import write_template


def arguments(parser) -> None:
    region_argument(parser)
    output_arguments(parser, "output .xlsx or .csv file")


def run(args) -> int:
    path = write_template(args.region, args.out, force=args.force)
    print(f"wrote the counts template for {args.region} to {path}")
    return 0
