"""Hostile and damaged rasters (all written here, labelled hostile): only local GeoTIFFs are
opened; VRTs dressed as .tif read no local file and make no network request; every failure is a
clear RasterError, from the library, the CLI and the app's upload path alike."""

import numpy as np
import pytest
import rasterio
from affine import Affine

from atlas.analysis.overlay import raster_info, stored_upload, zonal_statistics
from atlas.cli import main
from atlas.errors import RasterError


def vrt(source: str) -> str:
    return (
        '<VRTDataset rasterXSize="10" rasterYSize="10"><SRS>EPSG:4326</SRS>'
        "<GeoTransform>109.6, 0.01, 0, -6.8, 0, -0.01</GeoTransform>"
        '<VRTRasterBand dataType="Byte" band="1" subClass="VRTRawRasterBand">'
        f'<SourceFilename relativetoVRT="0">{source}</SourceFilename>'
        "<ImageOffset>0</ImageOffset><PixelOffset>1</PixelOffset><LineOffset>10</LineOffset>"
        "</VRTRasterBand></VRTDataset>"
    )


def geotiff(path, data, transform=None, crs="EPSG:4326"):
    transform = transform or Affine(0.01, 0, 109.6, 0, -0.01, -6.8)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=data.shape[1],
        height=data.shape[0],
        count=1,
        dtype=data.dtype,
        crs=crs,
        transform=transform,
    ) as dst:
        dst.write(data, 1)
    return path


def test_a_vrt_dressed_as_tif_reading_a_local_file_is_refused(tmp_path):
    path = tmp_path / "passwd.tif"
    path.write_text(vrt("/etc/passwd"))
    with pytest.raises(RasterError, match="passwd.tif is not a GeoTIFF"):
        raster_info(path)
    with pytest.raises(RasterError, match="not a GeoTIFF"):
        stored_upload(path.read_bytes(), "passwd.tif", tmp_path)


def test_a_vrt_pointing_at_a_url_makes_no_request(tmp_path, listener, mirror, capsys):
    path = tmp_path / "ssrf.tif"
    path.write_text(vrt(f"/vsicurl/http://127.0.0.1:{listener.port}/data.bin"))
    with pytest.raises(RasterError, match="not a GeoTIFF"):
        stored_upload(path.read_bytes(), "ssrf.tif", tmp_path)
    assert main(["overlay", str(path), "--region", "kota", "--out", str(tmp_path / "o.gpkg")]) == 1
    url = f"/vsicurl/http://127.0.0.1:{listener.port}/x.tif"
    assert main(["overlay", url, "--region", "kota", "--out", str(tmp_path / "o.gpkg")]) == 1
    assert "not a GDAL virtual path or URL" in capsys.readouterr().err
    assert listener.connections == 0
    assert not (tmp_path / "o.gpkg").exists()


def test_a_png_renamed_tif_is_not_described_as_missing_a_crs(tmp_path):
    path = tmp_path / "gambar.tif"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    with pytest.raises(RasterError, match="gambar.tif is not a GeoTIFF"):
        raster_info(path)


def test_a_truncated_tiff_is_damaged(tmp_path, layers_all):
    """The file loses its second half, where the units' cells are (rows 140-180 of 200): only the
    cells under the units are read, so damage elsewhere in a file goes unread."""
    data = np.arange(40_000, dtype="float32").reshape(200, 200)
    full = geotiff(tmp_path / "full.tif", data, transform=Affine(0.01, 0, 109.4, 0, -0.01, -5.4))
    cut = tmp_path / "terpotong.tif"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    with pytest.raises(RasterError, match="terpotong.tif is (a damaged|damaged)"):
        zonal_statistics(layers_all.desa.geometry, cut)


def test_zero_pixel_size_is_named(tmp_path):
    path = geotiff(
        tmp_path / "nol.tif", np.ones((5, 5), dtype="float32"), transform=Affine(0.0, 0, 109.6, 0, 0.0, -6.8)
    )
    with pytest.raises(RasterError, match="pixel size of zero|no coordinate"):
        raster_info(path)


def test_complex_values_are_refused(tmp_path):
    path = geotiff(tmp_path / "kompleks.tif", np.ones((5, 5), dtype="complex64"))
    with pytest.raises(RasterError, match="complex numbers"):
        raster_info(path)


def test_values_beyond_the_float_range_are_refused(tmp_path, layers_all):
    minx, miny, maxx, maxy = layers_all.desa.total_bounds
    data = np.full((50, 50), 1.7e308, dtype="float64")
    transform = Affine((maxx - minx + 0.02) / 50, 0, minx - 0.01, 0, -(maxy - miny + 0.02) / 50, maxy + 0.01)
    path = geotiff(tmp_path / "raksasa.tif", data, transform=transform)
    with pytest.raises(RasterError, match="beyond the range of floating-point numbers"):
        zonal_statistics(layers_all.desa.geometry, path)


def test_a_raster_without_crs_says_so(tmp_path):
    path = tmp_path / "tanpa_crs.tif"
    with rasterio.open(path, "w", driver="GTiff", width=5, height=5, count=1, dtype="float32") as dst:
        dst.write(np.ones((1, 5, 5), dtype="float32"))
    with pytest.raises(RasterError, match="tanpa_crs.tif has no coordinate reference system"):
        raster_info(path)


MARS = 'GEOGCRS["Mars (synthetic test)",DATUM["Mars",ELLIPSOID["Mars",3396190,169.894447223612,LENGTHUNIT["metre",1]]],CS[ellipsoidal,2],AXIS["latitude",north,ANGLEUNIT["degree",0.0174532925199433]],AXIS["longitude",east,ANGLEUNIT["degree",0.0174532925199433]]]'
LOCAL = 'LOCAL_CS["site grid (synthetic test)",LOCAL_DATUM["site",0],UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]]'


@pytest.mark.parametrize(
    "crs, message",
    [(MARS, "radius 3,396,190 m, not the Earth"), (LOCAL, "local \\(engineering\\) coordinate system")],
    ids=["mars", "local"],
)
def test_a_grid_not_on_the_earth_is_refused_with_the_reason(tmp_path, crs, message, capsys):
    path = geotiff(tmp_path / "bukan_bumi.tif", np.ones((5, 5), dtype="float32"), crs=crs)
    with pytest.raises(RasterError, match=message):
        raster_info(path)
    assert main(["overlay", str(path), "--region", "kota", "--out", str(tmp_path / "out.csv")]) == 1
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("size", [1e-12, 1e30, 50.0], ids=["nanometre", "astronomic", "fifty degrees"])
def test_an_absurd_pixel_size_is_refused_not_reported_as_no_coverage(tmp_path, size):
    path = geotiff(
        tmp_path / "piksel.tif", np.ones((5, 5), dtype="float32"), transform=Affine(size, 0, 109.6, 0, -size, -6.8)
    )
    with pytest.raises(RasterError, match="pixels of .* m on the ground"):
        raster_info(path)


def test_a_sensible_projected_grid_still_opens(tmp_path):
    """UTM 49S with 30 m pixels (the units of a Landsat scene): within every bound above."""
    transform = Affine(30, 0, 390000, 0, -30, 9250000)
    path = geotiff(tmp_path / "utm.tif", np.ones((5, 5), dtype="float32"), transform=transform, crs="EPSG:32749")
    assert raster_info(path)


def test_a_tiny_file_declaring_gigabyte_blocks_is_refused_before_reading(tmp_path):
    """Under a few KB on disk (sparse, nothing written), but tiles of 65,536 x 65,536 bytes."""
    path = tmp_path / "bom.tif"
    profile = {
        "driver": "GTiff",
        "width": 100_000,
        "height": 100_000,
        "count": 1,
        "dtype": "uint8",
        "crs": "EPSG:4326",
        "transform": Affine(1e-5, 0, 109.6, 0, -1e-5, -6.8),
        "tiled": True,
        "blockxsize": 65_536,
        "blockysize": 65_536,
        "compress": "deflate",
        "sparse_ok": True,
    }
    with rasterio.open(path, "w", **profile):
        pass
    assert path.stat().st_size < 100_000
    with pytest.raises(RasterError, match="blocks of 65,536 x 65,536 pixels"):
        raster_info(path)


def test_a_categorical_overlay_of_too_many_classes_is_refused_with_the_reason(tmp_path, layers_all):
    minx, miny, maxx, maxy = layers_all.desa.total_bounds
    data = np.arange(60 * 60, dtype="int32").reshape(60, 60)  # every cell its own class
    transform = Affine((maxx - minx + 0.02) / 60, 0, minx - 0.01, 0, -(maxy - miny + 0.02) / 60, maxy + 0.01)
    path = geotiff(tmp_path / "kelas.tif", data, transform=transform)
    with pytest.raises(RasterError, match="different values under the units; a categorical overlay takes at most 256"):
        zonal_statistics(layers_all.desa.geometry, path, categorical=True)


def test_a_grid_too_fine_for_the_units_is_refused_before_reading(tmp_path, layers_all):
    """Half-metre pixels (5e-6 degrees) over all of Pekalongan, sparse (nothing written): about
    1e10 cells under the units, which no overlay should start to read."""
    minx, miny, maxx, maxy = layers_all.desa.total_bounds
    size = 5e-6
    path = tmp_path / "halus.tif"
    profile = {
        "driver": "GTiff",
        "width": int((maxx - minx) / size) + 2,
        "height": int((maxy - miny) / size) + 2,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:4326",
        "transform": Affine(size, 0, minx - size, 0, -size, maxy + size),
        "tiled": True,
        "blockxsize": 1024,
        "blockysize": 1024,
        "compress": "deflate",
        "sparse_ok": True,
    }
    with rasterio.open(path, "w", **profile):
        pass
    with pytest.raises(RasterError, match="cells under the units; the overlay reads at most"):
        zonal_statistics(layers_all.desa.geometry, path)
