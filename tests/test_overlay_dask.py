"""The raster overlay on a real Dask cluster (``LocalCluster``, 2 worker processes): the same
results as in-process, by scheduler address and through the CLI. Rasters are synthetic."""

import numpy as np
import pandas as pd
import pyogrio
import pytest
from dask.distributed import LocalCluster

from atlas.analysis.overlay import zonal_statistics
from atlas.cli import main
from atlas.errors import OptionError
from tests.conftest import write_geotiff


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        yield local


@pytest.fixture(scope="module")
def raster(layers_all, tmp_path_factory):
    """Random values over Pekalongan, 0.0005° cells, several bands of rows (synthetic)."""
    minx, miny, maxx, maxy = layers_all.desa.total_bounds
    shape = (int((maxy - miny + 0.02) / 0.0005), int((maxx - minx + 0.02) / 0.0005))
    data = np.random.default_rng(3).random(shape, dtype="float32") * 50
    return write_geotiff(tmp_path_factory.mktemp("dask") / "acak.tif", data, (minx, miny, maxx, maxy))


def test_dask_results_equal_the_in_process_ones(layers_all, raster, cluster):
    expected = zonal_statistics(layers_all.desa.geometry, raster, categorical=False)
    on_dask = zonal_statistics(layers_all.desa.geometry, raster, scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(on_dask, expected, rtol=1e-12)
    assert len(cluster.workers) == 2


def test_the_cli_sends_the_bands_to_the_cluster(layers_all, raster, cluster, tmp_path):
    out = tmp_path / "dask.gpkg"
    args = ["overlay", str(raster), "--region", "all", "--scheduler", cluster.scheduler_address, "--out", str(out)]
    assert main(args) == 0
    expected = zonal_statistics(layers_all.desa.geometry, raster)
    written = pyogrio.read_dataframe(out, layer="desa")
    assert np.allclose(written["r_mean"], expected["mean"], rtol=1e-12, equal_nan=True)


def test_an_unreachable_scheduler_is_a_clear_error(layers_all, raster):
    with pytest.raises(OptionError, match="cannot reach the Dask scheduler"):
        zonal_statistics(layers_all.desa.geometry.iloc[:3], raster, scheduler="tcp://127.0.0.1:9")


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning", "error::RuntimeWarning")
def test_a_server_that_is_not_dask_is_a_clear_error_not_a_wait(layers_all, raster):
    """A listener that accepts the connection and never answers (what any other server does to
    Dask's handshake): refused after the connect timeout, not waited on forever."""
    import gc
    import socket
    import time

    from atlas.analysis.cluster import CONNECT_TIMEOUT_S

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    started = time.monotonic()
    try:
        with pytest.raises(OptionError, match="no Dask answer within"):
            zonal_statistics(
                layers_all.desa.geometry.iloc[:3], raster, scheduler=f"tcp://127.0.0.1:{silent.getsockname()[1]}"
            )
    finally:
        silent.close()
    assert time.monotonic() - started < CONNECT_TIMEOUT_S + 10
    gc.collect()  # the probe's client was closed: nothing is left to close itself later, in any thread


def test_local_starts_a_cluster_sized_to_the_machine(layers_all, raster):
    few = layers_all.desa.geometry.iloc[:5]
    pd.testing.assert_frame_equal(zonal_statistics(few, raster, scheduler="local"), zonal_statistics(few, raster))
