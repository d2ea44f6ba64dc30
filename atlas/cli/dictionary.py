"""atlas dictionary: the data dictionary (Markdown) from the field registry."""

from __future__ import annotations

from atlas.atomic import atomic_path
from atlas.io.dictionary import data_dictionary


def arguments(parser) -> None:
    parser.add_argument("--out", help="output .md file (default: print it)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def run(args) -> int:
    text = data_dictionary()
    if not args.out:
        print(text, end="")
        return 0
    with atomic_path(args.out, force=args.force) as tmp:
        tmp.write_text(text, encoding="utf-8")
    print(f"wrote the data dictionary to {args.out}")
    return 0
