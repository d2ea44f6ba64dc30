"""Two overlays at once, as two browser sessions run them: each equals its sequential result, in
threads (the app's path) and in processes. Rasters are synthetic, written here."""

import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np
import pandas as pd
import pytest

from atlas.analysis.overlay import zonal_statistics
from tests.conftest import write_geotiff


def synthetic_raster(path, bounds, seed):
    """Random values over Pekalongan (synthetic), a different field per seed."""
    minx, miny, maxx, maxy = bounds
    shape = (int((maxy - miny + 0.02) / 0.001), int((maxx - minx + 0.02) / 0.001))
    data = np.random.default_rng(seed).random(shape, dtype="float32") * (seed + 1)
    return write_geotiff(path, data, bounds)


@pytest.fixture(scope="module")
def rasters(layers_all, tmp_path_factory):
    folder = tmp_path_factory.mktemp("concurrency")
    bounds = layers_all.desa.total_bounds
    return [synthetic_raster(folder / f"r{seed}.tif", bounds, seed) for seed in (0, 7)]


def statistics(geometries, raster):
    return zonal_statistics(geometries, raster, workers=2)


def test_two_overlays_in_threads_equal_their_sequential_results(layers_all, rasters):
    geometries = layers_all.desa.geometry
    expected = [statistics(geometries, raster) for raster in rasters]
    for _ in range(3):
        results = [None, None]

        def run(i):
            results[i] = statistics(geometries, rasters[i])

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for got, want in zip(results, expected):
            pd.testing.assert_frame_equal(got, want, rtol=1e-12)
    assert not np.allclose(expected[0]["mean"], expected[1]["mean"])  # the two rasters differ


def test_two_overlays_in_processes_equal_their_sequential_results(layers_all, rasters):
    geometries = layers_all.desa.geometry
    expected = [statistics(geometries, raster) for raster in rasters]
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        results = list(pool.map(statistics, [geometries, geometries], rasters))
    for got, want in zip(results, expected):
        pd.testing.assert_frame_equal(got, want, rtol=1e-12)
