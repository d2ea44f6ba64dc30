"""Arguments and printing shared by several commands."""

from __future__ import annotations

import argparse
import sys

from atlas import config


def whole_number(low: int, high: int | None = None):
    """An argparse type: an integer from ``low`` to ``high``, with a clear message otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            bound = f"from {low} to {high}" if high is not None else f"{low} or more"
            raise argparse.ArgumentTypeError(f"{value} is out of range: use {bound}")
        return value

    return parse


def dataset_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help="dataset year (default: the latest)")
    parser.add_argument("--source", help="dataset source, when a year has several")


def region_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--region",
        default="all",
        help=f"{', '.join(config.REGIONS)} or kab/kota codes such as 33.75 (default: all)",
    )


def output_arguments(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--out", required=True, help=help_text)
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def csv_style_argument(parser: argparse.ArgumentParser) -> None:
    from atlas.io.export import CSV_STYLES

    parser.add_argument(
        "--csv-style",
        choices=sorted(CSV_STYLES),
        default="intl",
        help="CSV for Indonesian spreadsheets (id: ';' and decimal comma) or others (intl: ',' and '.', the default)",
    )


def published_again() -> None:
    """After a change to the PostgreSQL store, the layers the office's GIS reads are written again."""
    from atlas.io.postgis import publish_after_change

    published = publish_after_change()
    if published:
        print(f"published {len(published)} layers again for the office's GIS (schema atlas_lapisan)")


def progress_bar(done: int, total: int) -> None:
    filled = int(30 * done / total)
    print(f"\r[{'#' * filled}{' ' * (30 - filled)}] {done}/{total} bands of rows", end="", file=sys.stderr, flush=True)
    if done == total:
        print(file=sys.stderr)


def mapping_arguments(parser: argparse.ArgumentParser) -> None:
    """--columns, --profile and --save-profile: which header holds what."""
    group = parser.add_argument_group("columns with their own headers")
    group.add_argument(
        "--columns",
        help="header=atlas column pairs, e.g. 'Nama Desa=desa,Jml TK=pekerja' (atlas columns: kode, desa, "
        "kecamatan, kabkota, pelaku_usaha, pekerja, nama_usaha, alamat, bujur, lintang)",
    )
    group.add_argument("--profile", help="use a saved column mapping")
    group.add_argument("--save-profile", metavar="NAME", help="save the mapping under NAME for later files")


def mapping_from(args) -> dict[str, str]:
    """The column mapping the arguments give (a profile, then --columns on top), saved if asked."""
    from atlas.intake.columns import load_profile, parse_mapping, save_profile

    mapping = {**(load_profile(args.profile) if args.profile else {}), **parse_mapping(args.columns)}
    if args.save_profile:
        where = save_profile(args.save_profile, mapping)
        print(f"saved the column mapping as profile {args.save_profile!r} ({where})")
    return mapping
