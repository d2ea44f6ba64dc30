"""Command line: info, prepare, export, map, template, import, datasets, overlay, figures, dictionary,
editors, audit."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from pathlib import Path
from typing import NoReturn

import pandas as pd

from atlas import config
from atlas.analysis.layers import build_layers
from atlas.analysis.margin import load_model, load_umk
from atlas.analysis.overlay import STATISTICS, overlay_layer, overlay_metadata
from atlas.analysis.rasters import is_raster_file
from atlas.analysis.vector_overlay import FILLS, vector_metadata, vector_overlay_layer
from atlas.analysis.vectors import read_vector
from atlas.atomic import atomic_path, remove_stale_temporaries
from atlas.data.boundaries import load_boundaries, verify_upstream
from atlas.data.datasets import retired_datasets, scan_datasets
from atlas.data.indicators import load_totals
from atlas.errors import DATA, USAGE, AtlasError, OptionError, OutputExistsError
from atlas.fields import CODE_FIELD, LEVELS
from atlas.intake.audit import records as audit_records
from atlas.intake.editors import add_editor, load_editors, remove_editor
from atlas.intake.importer import import_counts
from atlas.intake.template import write_template
from atlas.intake.versions import VERSION_ACTIONS, restore, retire, set_in_latest
from atlas.io.dictionary import data_dictionary
from atlas.io.export import CSV_STYLES, FORMATS, Product, format_of, write_product
from atlas.io.products import change_product, counts_product, margin_product, overlay_product
from atlas.render.classify import MAX_CLASSES, MIN_CLASSES, PALETTES, SCHEMES, parse_breaks
from atlas.render.figures import write_figures
from atlas.render.i18n import DEFAULT_LANGUAGE, LANGUAGES
from atlas.render.maps import MapChoice, standalone_html
from atlas.render.measures import VIEWS, all_fields
from atlas.render.presentation import layer_sources
from atlas.render.topology import browser_topology

LAYERS = ("counts", "margin", "change")  # what `atlas export --layer` writes


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``atlas`` console script: 0 on success, 2 for a wrong argument or
    option, 1 for a file or data that cannot be used; errors are one line on stderr."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed by the parser
        return int(exc.code or 0)
    logging.basicConfig(format="atlas: %(message)s", level=logging.WARNING)
    try:
        remove_stale_temporaries(config.cache_dir(), config.datasets_dir())
        return args.run(args)
    except AtlasError as exc:
        print(f"atlas: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # read-only folder, full disk, a directory where a file should be
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"atlas: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return DATA
    except KeyboardInterrupt:
        print("atlas: interrupted; nothing was left half-written", file=sys.stderr)
        return 130


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (and exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _whole_number(low: int, high: int | None = None):
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


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="atlas", description="Batik Atlas of Pekalongan")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    info = commands.add_parser("info", help="summarise the loaded layers")
    _region_argument(info)
    _dataset_arguments(info)
    info.set_defaults(run=_info)

    prepare = commands.add_parser("prepare", help="verify boundary files and build the cache")
    _region_argument(prepare)
    prepare.set_defaults(run=_prepare)

    export = commands.add_parser("export", help="write a layer (counts, margin or change) to a GIS file")
    export.add_argument(
        "--layer",
        choices=LAYERS,
        default="counts",
        help="counts (default), margin (the value-chain estimates) or change (between two years)",
    )
    export.add_argument("--level", choices=LEVELS, default="desa")
    _region_argument(export)
    _dataset_arguments(export)
    export.add_argument(
        "--format",
        choices=FORMATS,
        help="geojson, gpkg (all levels + metadata), shp (zipped), csv or xlsx (default: from the --out name)",
    )
    export.add_argument("--out", required=True, help="output file")
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    _csv_style_argument(export)
    margin = export.add_argument_group("--layer margin")
    margin.add_argument(
        "--umk-year",
        type=int,
        help="year of the minimum wage (UMK) to compare with (default: the year of the sourced wage)",
    )
    margin.add_argument("--parameters", help="value-chain inputs (CSV like geodata/margin_parameters.csv)")
    change = export.add_argument_group("--layer change")
    change.add_argument("--from", dest="start", type=int, help="year of the earlier dataset")
    change.add_argument("--from-source", help="source of the earlier dataset, when its year has several")
    change.add_argument("--to", dest="end", type=int, help="year of the later dataset (default: the latest)")
    export.set_defaults(run=_export)

    template = commands.add_parser("template", help="write a counts template to fill in (.xlsx or .csv)")
    _region_argument(template)
    template.add_argument("--out", required=True, help="output .xlsx or .csv file")
    template.add_argument("--force", action="store_true", help="overwrite an existing file")
    template.set_defaults(run=_template)

    load = commands.add_parser("import", help="load updated counts (.csv or .xlsx) as a new dataset")
    load.add_argument("file", help="the filled-in spreadsheet")
    load.add_argument("--year", type=int, required=True, help="year of the counts")
    load.add_argument("--source", required=True, help="where the counts come from")
    _region_argument(load)
    load.add_argument("--replace", action="store_true", help="replace the existing dataset of the same year and source")
    load.add_argument("--editor", help="who makes the change, for the audit trail (default: the system user)")
    load.set_defaults(run=_import)

    editors = commands.add_parser("editors", help="who may import and replace data in the app")
    editors.add_argument("action", choices=("add", "remove", "list"))
    editors.add_argument("name", nargs="?", help="the editor's name (add, remove)")
    editors.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    editors.set_defaults(run=_editors)

    audit_log = commands.add_parser("audit", help="list the audit trail of imports and replacements")
    audit_log.set_defaults(run=_audit)

    listing = commands.add_parser(
        "datasets", help="list the dataset versions; retire, restore, keep out of or back in the latest view"
    )
    listing.add_argument("action", nargs="?", choices=VERSION_ACTIONS, default="list")
    listing.add_argument("--year", type=int, help="year of the version (every action but list)")
    listing.add_argument("--source", help="source of the version (every action but list)")
    listing.add_argument("--editor", help="who makes the change, for the audit trail (default: the system user)")
    listing.set_defaults(run=_datasets)

    overlay = commands.add_parser(
        "overlay", help="raster or vector statistics per unit, joined to the batik layer (docs/environment.md)"
    )
    overlay.add_argument(
        "file", help="a GeoTIFF, or a vector file (GPKG, GeoJSON, zipped Shapefile, KML, FlatGeobuf, CSV lon/lat)"
    )
    rasters = overlay.add_argument_group("rasters")
    rasters.add_argument(
        "--stats",
        default="mean,min,max,coverage",
        help=f"comma-separated, from {','.join(STATISTICS)} (default mean,min,max,coverage)",
    )
    rasters.add_argument("--band", type=_whole_number(1), default=1)
    rasters.add_argument("--categorical", action="store_true", help="also the share of each class value")
    vectors = overlay.add_argument_group("vector files")
    vectors.add_argument("--attribute", help="points: the numeric attribute to summarise (count/mean/min/max)")
    vectors.add_argument("--classes", help="polygons: the attribute whose classes get a share each")
    vectors.add_argument(
        "--fill", choices=FILLS, default="none", help="points: a value for units without points (nearest, idw)"
    )
    vectors.add_argument("--vector-layer", help="the layer to read, when the file holds several")
    overlay.add_argument("--level", choices=LEVELS, default="desa")
    _region_argument(overlay)
    _dataset_arguments(overlay)
    overlay.add_argument("--out", required=True, help="output .geojson, .gpkg or .csv (also .zip, .xlsx)")
    overlay.add_argument("--force", action="store_true", help="overwrite an existing file")
    _csv_style_argument(overlay)
    overlay.set_defaults(run=_overlay)

    figures = commands.add_parser("figures", help="the paper's Gambar 1-4 as PNG (300 dpi), SVG and PDF")
    figures.add_argument("--out", required=True, help="output folder")
    figures.add_argument("--lang", choices=LANGUAGES, help="one language (default: both)")
    _dataset_arguments(figures)
    figures.set_defaults(run=_figures)

    html_map = commands.add_parser("map", help="write a self-contained HTML map that opens offline")
    html_map.add_argument("--view", choices=sorted(VIEWS), default="production")
    html_map.add_argument(
        "--measure", choices=all_fields(), help="field to map (default: the view's first, e.g. pelaku_usaha)"
    )
    html_map.add_argument("--level", choices=LEVELS, default="desa")
    _region_argument(html_map)
    _dataset_arguments(html_map)
    html_map.add_argument("--scheme", choices=SCHEMES, default="quantiles")
    html_map.add_argument(
        "--classes",
        type=_whole_number(MIN_CLASSES, MAX_CLASSES),
        default=5,
        help=f"number of classes, {MIN_CLASSES} to {MAX_CLASSES} (default 5)",
    )
    html_map.add_argument("--breaks", help="class breaks for --scheme user_defined, e.g. 10,50,100")
    html_map.add_argument("--palette", choices=sorted(PALETTES), default="YlOrBr")
    html_map.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    html_map.add_argument("--out", required=True, help="output .html file")
    html_map.add_argument("--force", action="store_true", help="overwrite an existing file")
    html_map.set_defaults(run=_map)

    dictionary = commands.add_parser("dictionary", help="write the data dictionary (Markdown) from the field registry")
    dictionary.add_argument("--out", help="output .md file (default: print it)")
    dictionary.add_argument("--force", action="store_true", help="overwrite an existing file")
    dictionary.set_defaults(run=_dictionary)
    return parser


def _dataset_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help="dataset year (default: the latest)")
    parser.add_argument("--source", help="dataset source, when a year has several")


def _region_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--region",
        default="all",
        help=f"{', '.join(config.REGIONS)} or kab/kota codes such as 33.75 (default: all)",
    )


def _prepare(args) -> int:
    codes = config.region_codes(args.region)
    checked = verify_upstream(codes)
    print(f"upstream files verified: {len(checked)} (SHA-256 as pinned)")
    boundaries = load_boundaries(codes)
    print(f"boundaries ready: {len(boundaries.desa)} desa/kelurahan in {args.region}")
    for repair in boundaries.repairs.itertuples():
        print(f"  repaired the invalid upstream geometry of {repair.kode} {repair.nama}: {repair.reason}")
    build_layers(args.region)
    return 0


def _info(args) -> int:
    layers = build_layers(args.region, year=args.year, source=args.source)
    totals = load_totals()
    print(f"Batik Atlas of Pekalongan: region {args.region}, dataset {layers.dataset.label}")
    for row in layers.kabkota.itertuples():
        print(f"\n{row.WADMKK} ({row.KDPKAB}), {row.luas_km2:.1f} km2 (computed, UTM 49S)")
        print(f"  desa/kelurahan: {row.jumlah_unit}, with counts: {row.unit_berdata}, status: {row.status_data}")
        print(f"  producers: {_fmt(row.pelaku_usaha)}, workers: {_fmt(row.pekerja)} (sum of reported units)")
        for total in totals[totals["kode"] == row.KDPKAB].itertuples():
            approx = "~" if total.perkiraan == "yes" else ""
            print(f"  published: {total.indikator} {approx}{total.nilai:,} ({total.tahun}, {total.sumber})")
    kec = layers.kecamatan
    print(f"\nkecamatan: {len(kec)}, with counts: {int((kec['unit_berdata'] > 0).sum())}")
    counts = layers.desa["status_data"].value_counts()
    print("village data status: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _export(args) -> int:
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


def _csv_style_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--csv-style",
        choices=sorted(CSV_STYLES),
        default="intl",
        help="CSV for Indonesian spreadsheets (id: ';' and decimal comma) or others (intl: ',' and '.', the default)",
    )


def _template(args) -> int:
    path = write_template(args.region, args.out, force=args.force)
    print(f"wrote the counts template for {args.region} to {path}")
    return 0


def _import(args) -> int:
    result = import_counts(args.file, args.year, args.source, args.region, replace=args.replace, editor=args.editor)
    print(
        f"imported {result.rows} rows ({result.units} desa/kelurahan; {result.producers:,} producers, "
        f"{result.workers:,} workers) as dataset {result.year}: {result.source}\nstored in {result.path}"
    )
    return 0


def _overlay(args) -> int:
    fmt = format_of(args.out)
    if Path(args.out).exists() and not args.force:
        raise OutputExistsError(f"{args.out} exists; use --force to overwrite it")
    if not is_raster_file(args.file):
        return _vector_overlay(args, fmt)
    stats = tuple(s.strip() for s in args.stats.split(",") if s.strip())
    layers = build_layers(args.region, year=args.year, source=args.source)
    joined = overlay_layer(
        layers, args.level, args.file, args.band, stats, categorical=args.categorical, progress=_progress_bar
    )
    product = overlay_product(layers, args.level, joined, overlay_metadata(args.file, args.band, args.categorical))
    write_product(product, args.level, fmt, args.out, force=args.force, csv_style=args.csv_style)
    counts = joined["r_cakupan"].value_counts()
    print(
        f"wrote {len(joined)} {args.level} units with {', '.join(stats)} of band {args.band} to "
        f"{args.out}; raster covers {counts.get('full', 0)} fully, {counts.get('partial', 0)} partly, "
        f"{counts.get('none', 0)} not at all"
    )
    return 0


def _vector_overlay(args, fmt: str) -> int:
    vector = read_vector(args.file, layer=args.vector_layer)
    layers = build_layers(args.region, year=args.year, source=args.source)
    options = {"attribute": args.attribute, "classes": args.classes, "fill": args.fill}
    joined = vector_overlay_layer(layers, args.level, vector, **options)
    product = overlay_product(layers, args.level, joined, vector_metadata(vector, **options))
    write_product(product, args.level, fmt, args.out, force=args.force, csv_style=args.csv_style)
    repaired = f"; {vector.repaired} invalid geometries repaired" if vector.repaired else ""
    print(
        f"wrote {len(joined)} {args.level} units with the statistics of {len(vector.frame)} {vector.kind} "
        f"features ({vector.name}, {vector.crs}) to {args.out}{repaired}"
    )
    return 0


def _figures(args) -> int:
    layers = build_layers("all", year=args.year, source=args.source)
    for lang in [args.lang] if args.lang else LANGUAGES:
        for path in write_figures(layers, args.out, lang):
            print(path)
    return 0


def _progress_bar(done: int, total: int) -> None:
    filled = int(30 * done / total)
    print(f"\r[{'#' * filled}{' ' * (30 - filled)}] {done}/{total} bands of rows", end="", file=sys.stderr, flush=True)
    if done == total:
        print(file=sys.stderr)


def _editors(args) -> int:
    if args.action == "list":
        for name in sorted(load_editors()):
            print(name)
        return 0
    if not args.name:
        raise OptionError(f"atlas editors {args.action} needs a NAME")
    if args.action == "remove":
        path = remove_editor(args.name)
        print(f"removed the editor {args.name} from {path}")
        return 0
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else _new_password()
    path = add_editor(args.name, password)
    print(f"{args.name} may now sign in to the app and import data (editors file: {path})")
    return 0


def _new_password() -> str:
    first = getpass.getpass("password: ")
    if getpass.getpass("the same password again: ") != first:
        raise OptionError("the two passwords differ; nothing was changed")
    return first


def _audit(args) -> int:
    for record in audit_records():
        print(
            f"{record.waktu}\t{record.editor}\t{record.tindakan}\t{record.tahun}: {record.sumber}\t"
            f"{record.berkas}\t{record.baris} rows, {record.unit} units\tsha256 {record.sha256[:12]}"
        )
    return 0


def _datasets(args) -> int:
    if args.action != "list":
        return _change_version(args)
    datasets, damaged = scan_datasets()
    for dataset in datasets:
        note = "" if dataset.in_latest else "\t(kept out of the latest view)"
        print(f"{dataset.year}\t{dataset.source}\t{dataset.path}{note}")
    for dataset in retired_datasets():
        print(f"{dataset.year}\t{dataset.source}\t{dataset.path}\t(retired)")
    for skipped in damaged:
        print(f"atlas: skipped the damaged version {skipped.path.name}: {skipped.reason}", file=sys.stderr)
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
    return 0


def _map(args) -> int:
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
    html = standalone_html(layer, browser_topology(layer, CODE_FIELD[args.level]), choice, layer_sources(layer))
    with atomic_path(args.out, force=args.force) as tmp:
        tmp.write_text(html, encoding="utf-8")
    print(f"wrote the {args.view} map ({field}, {len(layer)} {args.level} units) to {args.out}")
    return 0


def _dictionary(args) -> int:
    text = data_dictionary()
    if not args.out:
        print(text, end="")
        return 0
    with atomic_path(args.out, force=args.force) as tmp:
        tmp.write_text(text, encoding="utf-8")
    print(f"wrote the data dictionary to {args.out}")
    return 0


def _fmt(value) -> str:
    return "no data" if pd.isna(value) else f"{int(value):,}"


if __name__ == "__main__":
    sys.exit(main())
