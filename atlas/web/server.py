"""Start the Streamlit app with its heavy libraries already imported.

Streamlit imports the app's modules only when the first visitor arrives, which would cost that
visitor about two seconds. Importing them here, before the server starts listening, and making
sure the boundary cache exists, lets the first map draw as fast as later ones.
Usage: ``python -m atlas.web.server [streamlit options]`` (``make run`` does this).
"""

from __future__ import annotations

import sys

from atlas import config
from atlas.atomic import remove_stale_temporaries
from atlas.bounded import warm_up
from atlas.data.boundaries import verify_upstream
from atlas.errors import AtlasError
from atlas.web.uploads import remove_orphaned_uploads


def preload() -> None:
    """Import what the app's first run needs and build the default layers once.

    Nothing here may import streamlit: its configuration must first be read by its own CLI.
    """
    from atlas.analysis import change, margin, overlay, vector_overlay, vectors  # noqa: F401
    from atlas.analysis.layers import build_layers
    from atlas.data import datasets  # noqa: F401
    from atlas.intake import importer, spreadsheet  # noqa: F401
    from atlas.io import export  # noqa: F401
    from atlas.render import classify, maps, presentation, topology  # noqa: F401

    warm_up()  # the reader of uploaded files, ready before the first visitor
    remove_stale_temporaries(config.cache_dir(), config.datasets_dir())
    remove_orphaned_uploads()
    verify_upstream(config.region_codes("all"))  # a tampered mirror is found at start
    build_layers("all")
    topology.region_topology("all", "desa")  # the first map's geometry, kept in memory


def main(argv: list[str] | None = None) -> None:
    """Run ``streamlit run app.py`` in this process after :func:`preload`."""
    from streamlit.web import cli

    if config.PROJECT_ROOT is None:
        raise SystemExit("atlas: error: the app runs from a source checkout (app.py, static/); see README.md")
    try:
        preload()
    except AtlasError as exc:
        raise SystemExit(f"atlas: error: {exc}") from None
    app = config.PROJECT_ROOT / "app.py"
    sys.argv = ["streamlit", "run", str(app), *(sys.argv[1:] if argv is None else argv)]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
