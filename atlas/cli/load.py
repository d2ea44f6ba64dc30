"""atlas import: a filled-in spreadsheet becomes a new dataset version."""

from __future__ import annotations

from atlas.cli.arguments import mapping_arguments, mapping_from, published_again, region_argument
from atlas.intake.importer import import_counts


def arguments(parser) -> None:
    parser.add_argument("file", help="the filled-in spreadsheet")
    parser.add_argument("--year", type=int, required=True, help="year of the counts")
    parser.add_argument("--source", required=True, help="where the counts come from")
    region_argument(parser)
    parser.add_argument(
        "--replace", action="store_true", help="replace the existing dataset of the same year and source"
    )
    parser.add_argument("--editor", help="who makes the change, for the audit trail (default: the system user)")
    mapping_arguments(parser)


def run(args) -> int:
    result = import_counts(
        args.file,
        args.year,
        args.source,
        args.region,
        replace=args.replace,
        editor=args.editor,
        mapping=mapping_from(args),
    )
    units = "kecamatan" if result.kind == "kecamatan" else "desa/kelurahan"
    print(
        f"imported {result.rows} rows ({result.units} {units}; {result.producers:,} producers, "
        f"{result.workers:,} workers) as dataset {result.year}: {result.source}\nstored as version {result.key}"
    )
    published_again()
    return 0
