"""atlas db: the PostgreSQL store (``ATLAS_DATABASE_URL``): create or upgrade its tables, move a
folder store into it, publish the layers for the office's GIS."""

from __future__ import annotations

from pathlib import Path

from atlas import config
from atlas.errors import OptionError

ACTIONS = ("init", "upgrade", "status", "copy-from", "publish-layers")


def arguments(parser) -> None:
    parser.add_argument("action", choices=ACTIONS)
    parser.add_argument("folder", nargs="?", help="copy-from: the datasets folder to move into the database")
    parser.add_argument(
        "--editors-file", help="copy-from: the editors file to move too (default: ATLAS_EDITORS_FILE or its default)"
    )
    parser.add_argument("--region", default="all", help="publish-layers: the region to publish (default: all)")


def run(args) -> int:
    url = config.database_url()
    if not url:
        raise OptionError("atlas db works on the PostgreSQL store: set ATLAS_DATABASE_URL=postgresql://...")
    from atlas.data.store import postgres

    where = postgres.describe(url)
    if args.action in ("init", "upgrade"):
        before, after = postgres.migrate(url, create=args.action == "init")
        print(f"{where}: atlas schema version {before or 0} -> {after}")
    elif args.action == "status":
        store = postgres.PostgresStore(url)
        versions, _ = store.versions()
        print(f"{where}: schema version {postgres.SCHEMA_VERSION}, change {store.signature()}")
        print(
            f"{len(versions)} stored versions ({sum(v.retired for v in versions)} retired), "
            f"{len(store.audit_records())} audit records, {len(store.editors())} editors"
        )
    elif args.action == "copy-from":
        if not args.folder:
            raise OptionError("atlas db copy-from needs the datasets FOLDER")
        from atlas.data.store.files import FolderStore
        from atlas.data.store.transfer import copy_store

        editors = Path(args.editors_file) if args.editors_file else config.editors_file()
        copied = copy_store(FolderStore(Path(args.folder), editors), postgres.PostgresStore(url))
        print(f"copied into the {where}: " + ", ".join(f"{n} {what}" for what, n in copied.items()))
        _publish()
    else:
        _publish(args.region)
    return 0


def _publish(region: str = "all") -> None:
    from atlas.io.postgis import publish_layers

    published = publish_layers(region=region)
    print(f"published {len(published)} layers in the schema atlas_lapisan: " + ", ".join(p.name for p in published))
