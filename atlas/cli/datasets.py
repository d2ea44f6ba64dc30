"""atlas datasets: list the versions; retire, restore, keep out of or back in the latest view."""

from __future__ import annotations

import sys

from atlas.cli.arguments import published_again
from atlas.data.datasets import retired_datasets, scan_datasets
from atlas.errors import OptionError
from atlas.intake.versions import VERSION_ACTIONS, restore, retire, set_in_latest


def arguments(parser) -> None:
    parser.add_argument("action", nargs="?", choices=VERSION_ACTIONS, default="list")
    parser.add_argument("--year", type=int, help="year of the version (every action but list)")
    parser.add_argument("--source", help="source of the version (every action but list)")
    parser.add_argument("--editor", help="who makes the change, for the audit trail (default: the system user)")


def run(args) -> int:
    if args.action != "list":
        return _change_version(args)
    datasets, damaged = scan_datasets()
    for dataset in datasets:
        note = "" if dataset.in_latest else "\t(kept out of the latest view)"
        print(f"{dataset.year}\t{dataset.source}\t{dataset.key}{note}")
    for dataset in retired_datasets():
        print(f"{dataset.year}\t{dataset.source}\t{dataset.key}\t(retired)")
    for skipped in damaged:
        print(f"atlas: skipped the damaged version {skipped.key}: {skipped.reason}", file=sys.stderr)
    return 0


def _change_version(args) -> int:
    if args.year is None or args.source is None:
        raise OptionError(f"atlas datasets {args.action} needs --year and --source")
    if args.action in ("retire", "restore"):
        change = retire if args.action == "retire" else restore
        dataset = change(args.year, args.source, args.editor)
    else:
        dataset = set_in_latest(args.year, args.source, args.action == "include", args.editor)
    print(f"{args.action}: {dataset.label} (recorded in the audit trail)")
    published_again()
    return 0
