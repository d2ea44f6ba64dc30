"""User rasters opened on purpose: only local GeoTIFF files, with GDAL told not to look beyond.

A file named ``.tif`` can hold anything GDAL reads, including a VRT whose bands point at local
files (``/etc/passwd``) or URLs (``/vsicurl/...``). So a raster is opened only when it is a local
file that starts as a TIFF does, through the GTiff driver alone, with network access, sidecar
files and directory listings switched off. Every failure is a ``RasterError`` that says what is
wrong, naming the file as the user knows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyproj
import rasterio
from rasterio.enums import MaskFlags
from rasterio.errors import RasterioError

from atlas.errors import RasterError

ALLOWED_DRIVER = "GTiff"  # the only GDAL driver a user raster is opened with
TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # classic and BigTIFF, both byte orders
#: GDAL settings while a user raster is open: no network, no sidecar (.aux.xml, .ovr) or folder lookups.
SAFE_GDAL = {
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_PAM_ENABLED": "NO",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".none-allowed",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_MAX_RETRY": "0",
}


#: A pixel between a millimetre and a thousand kilometres on the ground: outside that the grid
#: cannot describe a desa (and its arithmetic gives NaN or infinities).
PIXEL_METRES = (1e-3, 1e6)
EARTH_SEMI_MAJOR_METRES = (6_350_000, 6_400_000)  # every Earth ellipsoid (WGS 84: 6,378,137 m)
MAX_BLOCK_BYTES = 256 * 2**20  # one block (strip or tile) as GDAL decodes it
METRES_PER_DEGREE = 111_320  # at the equator; the bounds above are loose enough for any latitude


def is_raster_file(path: str | Path) -> bool:
    """True for what the overlay treats as a raster: a name ending in .tif/.tiff, or TIFF content."""
    if Path(str(path)).suffix.lower() in (".tif", ".tiff"):
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(4) in TIFF_MAGIC
    except OSError:
        return False


def check_raster_file(path: str | Path, name: str | None = None) -> Path:
    """``path`` as a local file that starts like a TIFF; a clear error otherwise."""
    text = str(path)
    name = name or Path(text).name
    if text.startswith("/vsi") or "://" in text:
        raise RasterError(f"{name}: give a local GeoTIFF file, not a GDAL virtual path or URL")
    local = Path(text)
    if not local.is_file():
        raise RasterError(f"{name} is not a readable raster (no such file)")
    with open(local, "rb") as handle:
        start = handle.read(4)
    if start not in TIFF_MAGIC:
        raise RasterError(f"{name} is not a GeoTIFF (its content is not TIFF); save the raster as GeoTIFF")
    return local


@contextmanager
def open_raster(path: str | Path, name: str | None = None) -> Iterator[rasterio.io.DatasetReader]:
    """The raster at ``path`` opened safely (see the module text), closed afterwards."""
    local = check_raster_file(path, name)
    name = name or local.name
    try:
        with rasterio.Env(**SAFE_GDAL), rasterio.open(local, driver=ALLOWED_DRIVER) as src:
            _check_grid(src, name)
            yield src
            return
    except RasterError:
        raise
    except RasterioError as exc:
        reason = _first_line(exc, local, name)
    raise RasterError(f"{name} is a damaged or unreadable GeoTIFF ({reason})")


def read_window(src, band: int, window, name: str) -> np.ma.MaskedArray:
    """One window of a band; a truncated or damaged file is a ``RasterError``, raised outside the
    GDAL error so that it carries no unpicklable context from a worker process."""
    try:
        flags = src.mask_flag_enums[band - 1]
        if MaskFlags.per_dataset in flags or MaskFlags.alpha in flags:  # a mask band: GDAL applies it
            return src.read(band, window=window, masked=True)
        data = src.read(band, window=window)  # nodata compared here: half the time of masked=True
        nodata = src.nodatavals[band - 1]
        invalid = data == nodata if nodata is not None and not np.isnan(nodata) else np.zeros(data.shape, bool)
        return np.ma.MaskedArray(data, mask=invalid)
    except Exception as exc:  # RasterioError, or GDAL's CPLE_* errors
        reason = _first_line(exc, src.name, name)
    raise RasterError(f"{name} is damaged: reading it failed ({reason})")


def _check_grid(src, name: str) -> None:
    transform = src.transform
    if src.crs is None:
        raise RasterError(
            f"{name} has no coordinate reference system (CRS); "
            "assign one (e.g. gdal_edit.py -a_srs EPSG:32749) and try again"
        )
    if transform.a == 0 or transform.e == 0:
        raise RasterError(f"{name} has a pixel size of zero; its georeferencing is broken")
    if transform.b != 0 or transform.d != 0:
        raise RasterError(f"{name} is rotated or sheared; warp it to a north-up grid first")
    if any(np.issubdtype(np.dtype(dtype), np.complexfloating) for dtype in src.dtypes):
        raise RasterError(f"{name} holds complex numbers; the overlay needs real values (one band per part)")
    crs = _earth_crs(src.crs, name)
    _check_pixel_size(transform, crs, name)
    _check_blocks(src, name)


def _check_blocks(src, name: str) -> None:
    """GDAL reads a raster a whole block at a time: a small file can declare blocks of gigabytes."""
    for (rows, columns), dtype in zip(src.block_shapes, src.dtypes):
        size = rows * columns * np.dtype(dtype).itemsize
        if size > MAX_BLOCK_BYTES:
            raise RasterError(
                f"{name} is stored in blocks of {columns:,} x {rows:,} pixels ({size / 2**30:,.1f} GiB each), too "
                "large to read; save it tiled (gdal_translate -co TILED=YES) and try again"
            )


def _earth_crs(crs, name: str) -> pyproj.CRS:
    """The raster's CRS when it places the grid on the Earth; a ``RasterError`` naming why not
    (a local or engineering system, another planet's, one PROJ cannot read)."""
    try:
        found = pyproj.CRS.from_wkt(crs.to_wkt())
    except (pyproj.exceptions.CRSError, RasterioError) as exc:
        raise RasterError(
            f"{name} has a coordinate reference system that cannot be read ({_first_line(exc, '', name)})"
        ) from None
    ellipsoid = found.ellipsoid
    if found.is_engineering or ellipsoid is None:
        raise RasterError(
            f"{name} has a local (engineering) coordinate system that is not placed on the Earth; "
            "georeference it (e.g. EPSG:32749) and try again"
        )
    low, high = EARTH_SEMI_MAJOR_METRES
    if not low <= ellipsoid.semi_major_metre <= high:
        raise RasterError(
            f"{name}'s coordinate system is on a body of radius {ellipsoid.semi_major_metre:,.0f} m, "
            "not the Earth; reproject it to an Earth system (e.g. EPSG:4326)"
        )
    return found


def _check_pixel_size(transform, crs: pyproj.CRS, name: str) -> None:
    """Refuse a grid whose pixels are absurdly small or large, or not finite."""
    unit = METRES_PER_DEGREE if crs.is_geographic else crs.axis_info[0].unit_conversion_factor
    sizes = [abs(transform.a) * unit, abs(transform.e) * unit]
    low, high = PIXEL_METRES
    values = (transform.a, transform.e, transform.c, transform.f)
    if not all(np.isfinite(values)) or not all(low <= size <= high for size in sizes):
        shown = " x ".join(f"{size:.3g}" for size in sizes)
        raise RasterError(
            f"{name} has pixels of {shown} m on the ground; a grid that can describe a desa has pixels "
            f"from {low:g} m to {high:,.0f} m: its georeferencing is broken"
        )


def _first_line(exc: Exception, path: str | Path, name: str) -> str:
    """GDAL's message, first line, with the server's path replaced by the user's file name."""
    text = str(exc).replace(str(path), name)
    return (text.splitlines() or [type(exc).__name__])[0][:200]
