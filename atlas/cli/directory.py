"""atlas import-directory: a business directory (one row per business) as a dataset version,
after a dry run that reports every row that could not be placed."""

from __future__ import annotations

from atlas.cli.arguments import mapping_arguments, mapping_from, published_again, region_argument
from atlas.intake.directory import Keep, import_directory


def arguments(parser) -> None:
    parser.add_argument("file", help="the directory (.csv or .xlsx), one row per business")
    parser.add_argument("--year", type=int, required=True, help="year of the directory")
    parser.add_argument("--source", required=True, help="where the directory comes from")
    region_argument(parser)
    parser.add_argument(
        "--keep", help="keep only rows whose COLUMN contains VALUE, e.g. 'Produk=batik' or 'KBLI=13134'"
    )
    parser.add_argument(
        "--accept", action="store_true", help="store the counts (without it: a dry run, nothing stored)"
    )
    parser.add_argument(
        "--replace", action="store_true", help="replace the existing dataset of the same year and source"
    )
    parser.add_argument("--editor", help="who makes the change, for the audit trail (default: the system user)")
    parser.add_argument(
        "--prefer-point",
        action="store_true",
        help="survey exports: place a submission by its GPS point where it falls outside the chosen desa",
    )
    mapping_arguments(parser)


def run(args) -> int:
    report, result = import_directory(
        args.file,
        args.year,
        args.source,
        args.region,
        mapping=mapping_from(args),
        keep=Keep.parse(args.keep),
        accept=args.accept,
        replace=args.replace,
        editor=args.editor,
        prefer_point=args.prefer_point,
    )
    print(report.summary())
    for problem in report.unplaced:
        print(f"  not placed: {problem}")
    for problem in report.outside:
        print(f"  point outside the chosen desa: {problem}")
    if result is None:
        print("dry run: nothing was stored; check the rows above, then run again with --accept")
        return 0
    print(
        f"stored {result.units} desa/kelurahan ({result.producers:,} businesses, {result.workers:,} workers) "
        f"as dataset {result.year}: {result.source} (version {result.key})"
    )
    published_again()
    return 0
