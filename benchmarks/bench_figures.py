"""Time `atlas figures`: all four figures, both languages, PNG (300 dpi) + SVG + PDF."""

from __future__ import annotations

import tempfile
import time

from atlas.cli import main


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        main(["figures", "--out", folder])
        print(f"atlas figures (4 figures x 2 languages x PNG/SVG/PDF): {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    run()
