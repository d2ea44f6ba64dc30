"""atlas editors: who may sign in to the app and change data."""

from __future__ import annotations

import getpass
import sys

from atlas.errors import OptionError
from atlas.intake.editors import add_editor, load_editors, remove_editor


def arguments(parser) -> None:
    parser.add_argument("action", choices=("add", "remove", "list"))
    parser.add_argument("name", nargs="?", help="the editor's name (add, remove)")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")


def run(args) -> int:
    if args.action == "list":
        for name in sorted(load_editors()):
            print(name)
        return 0
    if not args.name:
        raise OptionError(f"atlas editors {args.action} needs a NAME")
    if args.action == "remove":
        where = remove_editor(args.name)
        print(f"removed the editor {args.name} ({where})")
        return 0
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else _new_password()
    where = add_editor(args.name, password)
    print(f"{args.name} may now sign in to the app and import data (editors kept in the {where})")
    return 0


def _new_password() -> str:
    if not sys.stdin.isatty():
        raise OptionError("no terminal to ask the password on: pipe it in with --password-stdin; nothing was changed")
    first = getpass.getpass("password: ")
    if getpass.getpass("the same password again: ") != first:
        raise OptionError("the two passwords differ; nothing was changed")
    return first
