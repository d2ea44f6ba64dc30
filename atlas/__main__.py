"""``python -m atlas`` runs the command line."""

import sys

from atlas.cli import main

sys.exit(main())
