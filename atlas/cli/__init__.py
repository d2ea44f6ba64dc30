"""Command line: one module per command in this package, imported only when that command runs,
so each command pays only for the libraries it uses (``atlas info`` never loads matplotlib or
mapclassify). A command module has ``arguments(parser)`` and ``run(args) -> exit code``."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import traceback
from datetime import UTC, datetime
from typing import NoReturn

from atlas import config
from atlas.atomic import remove_stale_temporaries
from atlas.bounded import warm_up
from atlas.errors import DATA, USAGE, AtlasError

#: commands that read a file the user gives (in a bounded child process: ``atlas.bounded``)
READS_USER_FILES = {"import", "import-directory", "overlay"}
FAULT_LOG = "atlas-faults.log"  # in the cache folder: tracebacks of faults of the atlas itself
#: command -> (module in atlas.cli, one-line help); the order of ``atlas --help``.
COMMANDS = {
    "info": ("info", "summarise the loaded layers"),
    "prepare": ("prepare", "verify boundary files and build the cache"),
    "export": ("export", "write a layer (counts, margin or change) to a GIS file"),
    "survey-form": ("survey_form", "write the field-survey form (XLSForm for ODK Central / KoboToolbox)"),
    "template": ("template", "write a counts template to fill in (.xlsx or .csv)"),
    "import": ("load", "load updated counts (.csv or .xlsx; per desa or per kecamatan) as a new dataset"),
    "import-directory": ("directory", "load a business directory (one row per business) as counts per desa"),
    "editors": ("editors", "who may import and replace data in the app"),
    "audit": ("audit", "list the audit trail of changes to the stored data"),
    "publish": ("publish", "write the package to publish: Shapefile, GeoPackage, ISO 19139 metadata, Data Package"),
    "serve-ogc": ("serve_ogc", "serve the layers as OGC API - Features (pygeoapi; docs/publishing.md)"),
    "db": ("db", "the PostgreSQL store: init, upgrade, status, copy-from FOLDER, publish-layers"),
    "datasets": ("datasets", "list the dataset versions; retire, restore, keep out of or back in the latest view"),
    "overlay": ("overlay", "raster or vector statistics per unit, joined to the batik layer (docs/environment.md)"),
    "figures": ("figures", "the paper's Gambar 1-4 as PNG (300 dpi), SVG and PDF"),
    "map": ("html_map", "write a self-contained HTML map that opens offline"),
    "dictionary": ("dictionary", "write the data dictionary (Markdown) from the field registry"),
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``atlas`` console script: 0 on success, 2 for a wrong argument or
    option, 1 for a file or data that cannot be used; errors are one line on stderr."""
    argv = sys.argv[1:] if argv is None else argv
    if _named_command(argv) in READS_USER_FILES:
        warm_up()  # the file reader's imports run while this process imports the command's
    try:
        args = _parser(_named_command(argv)).parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed by the parser
        return int(exc.code or 0)
    logging.basicConfig(format="atlas: %(message)s", level=logging.WARNING)
    try:
        remove_stale_temporaries(config.cache_dir(), config.datasets_dir())
        return args.run(args)
    except AtlasError as exc:
        print(f"atlas: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the output went to a reader that stopped (| head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:  # read-only folder, full disk, a directory where a file should be
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"atlas: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return DATA
    except KeyboardInterrupt:
        print("atlas: interrupted; nothing was left half-written", file=sys.stderr)
        return 130
    except Exception as exc:  # a fault of the atlas itself: one line here, the traceback in the log
        kept = _log_fault(argv)
        first = (str(exc).splitlines() or [""])[0][:200]
        print(f"atlas: error: unexpected fault ({type(exc).__name__}: {first}){kept}", file=sys.stderr)
        return DATA


def _log_fault(argv: list[str]) -> str:
    """Append the current exception's traceback to the fault log; says where (or nothing)."""
    path = config.cache_dir() / FAULT_LOG
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')} atlas {' '.join(argv)}\n")
            log.write(traceback.format_exc())
    except OSError:
        return ""
    return f"; the details are in {path}"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (and exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _named_command(argv: list[str]) -> str | None:
    """The command ``argv`` names (its first word), if it is one."""
    first = next((word for word in argv if not word.startswith("-")), None)
    return first if first in COMMANDS else None


def _parser(command: str | None) -> argparse.ArgumentParser:
    """The parser, with the arguments of ``command`` only (the others are listed by name)."""
    parser = _Parser(prog="atlas", description="Batik Atlas of Pekalongan")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if name == command:
            module = importlib.import_module(f"atlas.cli.{module_name}")
            module.arguments(sub)
            sub.set_defaults(run=module.run)
    return parser
