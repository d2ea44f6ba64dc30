"""A 2,000-row business directory (synthetic, written here by the tests' generator) loaded as a
whole command: ``atlas import-directory ... --accept``, against reading the same file with
pandas in a fresh interpreter (the floor of any loader). Each run is a fresh process measured by
``measure.run_measured`` (wall; CPU from ``wait4``; peak memory of the process tree); 5
interleaved rounds after one warm-up each.

Run with ``make bench`` (or with ATLAS_DATA_MIRROR set).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import machine, run_measured  # noqa: E402

ROUNDS = 5
ROOT = Path(__file__).resolve().parent.parent


def directory_file(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from atlas.analysis.layers import build_layers
    from tests.test_directory_import import synthetic_directory, units, write_csv

    fixture = getattr(units, "__wrapped__", None) or units._get_wrapped_function()  # the fixture's body
    records, _, _ = synthetic_directory(fixture(build_layers("all")))
    return write_csv(folder / "direktori_2000.csv", records)


def main() -> None:
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        path = directory_file(Path(folder))
        env = {**os.environ, "ATLAS_DATASETS_DIR": str(Path(folder) / "datasets")}
        atlas = [sys.executable, "-m", "atlas", "import-directory", str(path), "--year", "2025", "--source"]
        atlas += ["Direktori (synthetic benchmark)", "--columns", "Nama Desa=desa,Kec=kecamatan,Jml TK=pekerja"]
        atlas += ["--keep", "Produk=batik", "--accept", "--replace"]
        floor = [sys.executable, "-c", f"import pandas; pandas.read_csv({str(path)!r}, sep=';')"]
        commands = {"atlas import-directory --accept": atlas, "pandas.read_csv (floor)": floor}
        for command in commands.values():
            run_measured(command, env)  # warm: the file, the boundary cache, the imports
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
        for _ in range(ROUNDS):
            for name, command in commands.items():
                runs[name].append(run_measured(command, env))
    print(f"2,000-row directory, {ROUNDS} interleaved rounds, fresh process each")
    for name, measured in runs.items():
        walls = [m["wall"] for m in measured]
        print(
            f"  {name}: wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}), "
            f"CPU median {statistics.median(m['cpu'] for m in measured):.2f} s, "
            f"peak {max(m['peak_mib'] for m in measured):.0f} MiB"
        )
    names = list(runs)
    ratios = [a["wall"] / b["wall"] for a, b in zip(runs[names[0]], runs[names[1]])]
    print(f"  atlas / floor, paired: median {statistics.median(ratios):.1f}x (min {min(ratios):.1f}x)")


if __name__ == "__main__":
    main()
