"""Zonal statistics on rasters written by these tests (labelled synthetic), checked against
values computed independently: analytic results and brute-force cell-by-cell intersections."""

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine
from rasterio.transform import from_origin

from atlas.analysis import overlay
from atlas.analysis.coverage import grid_rings, window_totals
from atlas.analysis.overlay import RasterError, zonal_statistics

UTM = "EPSG:32749"
X0, Y0 = 300_000.0, 9_240_000.0  # a corner near Pekalongan in UTM 49S


def write_raster(path, data, transform, crs=UTM, nodata=None, count=1):
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=data.shape[-1],
        height=data.shape[-2],
        count=count,
        dtype=data.dtype,
        crs=crs,
        transform=transform,
        nodata=nodata,
    ) as dst:
        dst.write(data if data.ndim == 3 else data[None] if count == 1 else np.stack([data] * count))
    return path


def units(*geoms, crs=UTM):
    return gpd.GeoSeries(list(geoms), crs=crs, index=[f"u{i}" for i in range(len(geoms))])


def brute_force(geom, values, transform, nodata=None):
    """Weighted statistics from exact shapely intersections of every cell (slow, independent)."""
    weights, cells = [], []
    for r in range(values.shape[0]):
        for c in range(values.shape[1]):
            x0, y0 = transform @ (c, r)
            x1, y1 = transform @ (c + 1, r + 1)
            w = geom.intersection(shapely.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))).area
            if w > 0 and values[r, c] != nodata:
                weights.append(w / abs(transform.a * transform.e))
                cells.append(values[r, c])
    w, v = np.array(weights), np.array(cells, dtype=float)
    mean = (w * v).sum() / w.sum()
    return {
        "count": w.sum(),
        "sum": (w * v).sum(),
        "mean": mean,
        "min": v.min(),
        "max": v.max(),
        "std": np.sqrt((w * (v - mean) ** 2).sum() / w.sum()),
    }


def test_constant_field_gives_area_and_value(tmp_path):
    transform = from_origin(X0, Y0, 10, 10)
    path = write_raster(tmp_path / "c.tif", np.full((100, 100), 7.0, dtype="float32"), transform)
    circle = shapely.Point(X0 + 500, Y0 - 500).buffer(123.4)
    table = zonal_statistics(units(circle), path)
    row = table.loc["u0"]
    assert row["mean"] == pytest.approx(7.0) and row["std"] == pytest.approx(0.0, abs=1e-9)
    assert row["count"] == pytest.approx(circle.area / 100)  # analytic: area / cell area
    assert row["sum"] == pytest.approx(7.0 * circle.area / 100)
    assert row["coverage"] == pytest.approx(1.0) and row["cakupan"] == "full"


@pytest.mark.parametrize("strip_bytes", [32 * 1024 * 1024, 1])
def test_matches_brute_force_on_a_noisy_field(tmp_path, monkeypatch, strip_bytes):
    """Also when the raster is read a strip of rows at a time (1 byte: one block of rows), so that
    the units are cut at the strips and their parts merged."""
    monkeypatch.setattr(overlay, "STRIP_BYTES", strip_bytes)
    rng = np.random.default_rng(1)
    values = rng.normal(30, 8, (60, 80)).astype("float32")
    transform = from_origin(X0, Y0, 25, 25)
    path = write_raster(tmp_path / "n.tif", values, transform)
    shapes = [
        shapely.Point(X0 + 700, Y0 - 600).buffer(333),
        shapely.Polygon(
            [(X0 + 100, Y0 - 100), (X0 + 1900, Y0 - 300), (X0 + 900, Y0 - 1400)],
            [[(X0 + 800, Y0 - 500), (X0 + 1100, Y0 - 520), (X0 + 900, Y0 - 800)]],
        ),
    ]
    table = zonal_statistics(units(*shapes), path, workers=2)
    for name, geom in zip(table.index, shapes):
        expected = brute_force(geom, values, transform)
        for stat, value in expected.items():
            assert table.loc[name, stat] == pytest.approx(value, rel=1e-9, abs=1e-9), stat


def test_units_in_wgs84_over_a_utm_raster_and_back(tmp_path):
    transform = from_origin(X0, Y0, 20, 20)
    field = np.add.outer(np.arange(100.0), np.arange(100.0)).astype("float32")
    utm = write_raster(tmp_path / "utm.tif", field, transform)
    square = shapely.box(X0 + 300, Y0 - 1300, X0 + 1100, Y0 - 500)
    in_utm = zonal_statistics(units(square), utm).loc["u0"]
    in_wgs84 = zonal_statistics(units(square).to_crs("EPSG:4326"), utm).loc["u0"]
    assert in_wgs84["mean"] == pytest.approx(in_utm["mean"], rel=1e-4)
    # analytic: the square covers rows 25..64 and columns 15..54 whole; mean of (row + col)
    assert in_utm["mean"] == pytest.approx(np.mean(np.arange(25, 65)) + np.mean(np.arange(15, 55)))
    # a geographic raster: 0.001 degree cells around Pekalongan
    geo = from_origin(109.6, -6.85, 0.001, 0.001)
    write_raster(tmp_path / "geo.tif", np.full((100, 100), 3.0, dtype="float32"), geo, crs="EPSG:4326")
    box = shapely.box(109.6205, -6.9305, 109.6705, -6.8805)
    row = zonal_statistics(units(box, crs="EPSG:4326"), tmp_path / "geo.tif").loc["u0"]
    assert row["count"] == pytest.approx(box.area / 1e-6) and row["coverage"] == pytest.approx(1)


def test_nodata_holes_are_left_out(tmp_path):
    values = np.full((100, 100), 5.0, dtype="float32")
    values[:, 50:] = -1  # nodata on the eastern half
    values[10, 10] = 9.0
    path = write_raster(tmp_path / "h.tif", values, from_origin(X0, Y0, 10, 10), nodata=-1)
    square = shapely.box(X0 + 300, Y0 - 700, X0 + 700, Y0 - 300)  # half on each side
    row = zonal_statistics(units(square), path).loc["u0"]
    assert row["coverage"] == pytest.approx(0.5) and row["cakupan"] == "partial"
    assert row["mean"] == pytest.approx(5.0) and row["max"] == 5.0 and row["count"] == pytest.approx(800)


def test_an_internal_mask_band_is_honoured(tmp_path):
    """A GeoTIFF whose invalid cells are marked by a mask band, not a nodata value (synthetic)."""
    values = np.full((100, 100), 5.0, dtype="float32")
    values[:, 50:] = 1000.0  # masked out below: must not count
    path = write_raster(tmp_path / "m.tif", values, from_origin(X0, Y0, 10, 10))
    with rasterio.open(path, "r+") as dst:
        mask = np.full((100, 100), 255, dtype="uint8")
        mask[:, 50:] = 0
        dst.write_mask(mask)
    square = shapely.box(X0 + 300, Y0 - 700, X0 + 700, Y0 - 300)  # half on each side
    row = zonal_statistics(units(square), path).loc["u0"]
    assert row["max"] == 5.0 and row["coverage"] == pytest.approx(0.5)


def test_partial_and_no_overlap_units_are_reported(tmp_path):
    path = write_raster(tmp_path / "p.tif", np.ones((50, 50), dtype="float32"), from_origin(X0, Y0, 10, 10))
    half_out = shapely.box(X0 - 100, Y0 - 200, X0 + 100, Y0 - 100)
    outside = shapely.box(X0 + 5000, Y0 - 200, X0 + 5100, Y0 - 100)
    table = zonal_statistics(units(half_out, outside), path)
    assert table.loc["u0", "coverage"] == pytest.approx(0.5) and table.loc["u0", "cakupan"] == "partial"
    assert table.loc["u1", "cakupan"] == "none" and np.isnan(table.loc["u1", "mean"])
    assert table.loc["u1", "count"] == 0


def test_categorical_fractions(tmp_path):
    classes = np.repeat(np.array([[1, 2, 3, 2]], dtype="uint8"), 40, axis=0).repeat(10, axis=1)
    transform = from_origin(X0, Y0, 10, 10)
    path = write_raster(tmp_path / "k.tif", classes, transform)
    shape = shapely.Point(X0 + 200, Y0 - 200).buffer(170)
    table = zonal_statistics(units(shape), path, categorical=True)
    fractions = table.loc["u0", ["frac_1", "frac_2", "frac_3"]]
    assert fractions.sum() == pytest.approx(1.0)
    for value in (1, 2, 3):  # brute force: area of the shape in the columns of each class
        area = sum(
            shape.intersection(shapely.box(X0 + c * 10, Y0 - 400, X0 + c * 10 + 10, Y0)).area
            for c in range(40)
            if classes[0, c] == value
        )
        assert table.loc["u0", f"frac_{value}"] == pytest.approx(area / shape.area)


@pytest.mark.parametrize("holes", ["scattered", "top rows", "none"])
def test_large_alike_values_with_nodata_holes_match_brute_force(tmp_path, holes):
    """Values near a million that differ by a few units (synthetic), a fifth of the cells nodata
    (scattered, or only in the top rows, or none): sums of squares must not cancel, and holes
    inside runs of whole cells (and a unit's first cells) must be left out. One unit reaches past
    the raster's south-east corner, so runs end at the window's last cell."""
    rng = np.random.default_rng(7)
    values = (1e6 + rng.normal(0, 3, (50, 70))).astype("float64")
    hole = rng.random(values.shape) < 0.2
    if holes == "top rows":
        hole[25:] = False
    if holes != "none":
        values[hole] = -9999.0
    transform = from_origin(X0, Y0, 20, 20)
    path = write_raster(tmp_path / "alike.tif", values, transform, nodata=-9999.0)
    shapes = [
        shapely.Point(X0 + 600, Y0 - 500).buffer(380).difference(shapely.Point(X0 + 600, Y0 - 500).buffer(120)),
        shapely.MultiPolygon(
            [shapely.box(X0 + 30, Y0 - 990, X0 + 410, Y0 - 610), shapely.box(X0 + 900, Y0 - 300, X0 + 1390, Y0 - 5)]
        ),
        shapely.box(X0 + 1105, Y0 - 1200, X0 + 1600, Y0 - 555),
    ]
    table = zonal_statistics(units(*shapes), path)
    for name, geom in zip(table.index, shapes):
        expected = brute_force(geom, values, transform, nodata=-9999.0)
        for stat, value in expected.items():
            assert table.loc[name, stat] == pytest.approx(value, rel=1e-9, abs=1e-9), stat


@pytest.mark.parametrize("invalid_by", ["nodata", "mask band"])
def test_class_shares_of_scattered_classes_and_holes_match_brute_force(tmp_path, invalid_by):
    """Random classes (synthetic), so that stretches of one class have every length, with a tenth
    of the cells invalid, by a nodata value or by a mask band (the cell keeping a class value): the
    shares of each class against shapely's intersection areas."""
    rng = np.random.default_rng(3)
    classes = rng.integers(1, 5, (30, 30)).astype("uint8")
    invalid = rng.random(classes.shape) < 0.1
    transform = from_origin(X0, Y0, 10, 10)
    if invalid_by == "nodata":
        path = write_raster(
            tmp_path / "classes.tif", np.where(invalid, 0, classes).astype("uint8"), transform, nodata=0
        )
    else:
        path = write_raster(tmp_path / "classes.tif", classes, transform)
        with rasterio.open(path, "r+") as dst:
            dst.write_mask(np.where(invalid, 0, 255).astype("uint8"))
    shape = shapely.Point(X0 + 150, Y0 - 150).buffer(110)
    table = zonal_statistics(units(shape), path, categorical=True)
    rows, cols = np.indices(classes.shape)
    cells = shapely.box(X0 + cols * 10, Y0 - rows * 10 - 10, X0 + cols * 10 + 10, Y0 - rows * 10)
    covered = np.where(invalid, 0.0, shapely.area(shapely.intersection(shape, cells)))
    for value in (1, 2, 3, 4):  # brute force: the shape's area in the valid cells of each class
        expected = covered[classes == value].sum() / covered.sum()
        assert table.loc["u0", f"frac_{value}"] == pytest.approx(expected, rel=1e-9)
    assert "frac_0" not in table.columns


def test_a_unit_far_larger_than_the_raster(tmp_path):
    """A unit 100,000 cells across over a raster of 20 x 20 cells (synthetic), with a hole whose
    slanted edges cross the raster: only the raster's rows and columns are cut, and the result
    still matches the brute force over every cell."""
    values = np.random.default_rng(5).normal(10, 2, (20, 20)).astype("float32")
    transform = from_origin(X0, Y0, 10, 10)
    path = write_raster(tmp_path / "small.tif", values, transform)
    hole = [(X0 + 50, Y0 - 30), (X0 + 400, Y0 - 5000), (X0 - 3000, Y0 - 120)]
    huge = shapely.Polygon(shapely.box(X0 - 5e5, Y0 - 5e5, X0 + 5e5, Y0 + 5e5).exterior.coords, [hole])
    row = zonal_statistics(units(huge), path).loc["u0"]
    expected = brute_force(huge, values, transform)
    for stat, value in expected.items():
        assert row[stat] == pytest.approx(value, rel=1e-9, abs=1e-9), stat
    assert row["cakupan"] == "partial"


def test_errors(tmp_path):
    square = units(shapely.box(X0 + 10, Y0 - 90, X0 + 90, Y0 - 10))
    no_crs = tmp_path / "nocrs.tif"
    with rasterio.open(
        no_crs,
        "w",
        driver="GTiff",
        width=10,
        height=10,
        count=1,
        dtype="float32",
        transform=from_origin(X0, Y0, 10, 10),
    ) as dst:
        dst.write(np.ones((1, 10, 10), dtype="float32"))
    with pytest.raises(RasterError, match="has no coordinate reference system"):
        zonal_statistics(square, no_crs)
    far = write_raster(tmp_path / "far.tif", np.ones((10, 10), dtype="float32"), from_origin(0, 0, 10, 10))
    with pytest.raises(RasterError, match="does not overlap the units"):
        zonal_statistics(square, far)
    corrupt = tmp_path / "corrupt.tif"
    corrupt.write_bytes(b"II*\x00" + bytes(200))
    with pytest.raises(RasterError, match="corrupt.tif is a damaged or unreadable GeoTIFF") as caught:
        zonal_statistics(square, corrupt)
    assert str(tmp_path) not in str(caught.value)  # no server path in what a visitor may see
    text = tmp_path / "counts.csv"
    text.write_text("a,b\n1,2\n")
    with pytest.raises(RasterError, match="counts.csv is not a GeoTIFF"):
        zonal_statistics(square, text)
    one_band = write_raster(tmp_path / "one.tif", np.ones((10, 10), dtype="float32"), from_origin(X0, Y0, 10, 10))
    with pytest.raises(RasterError, match="has 1 band.*band 2 does not exist"):
        zonal_statistics(square, one_band, band=2)


def test_second_band(tmp_path):
    data = np.stack([np.full((10, 10), 1.0), np.full((10, 10), 2.0)]).astype("float32")
    path = write_raster(tmp_path / "two.tif", data, from_origin(X0, Y0, 10, 10), count=2)
    square = units(shapely.box(X0 + 10, Y0 - 90, X0 + 90, Y0 - 10))
    assert zonal_statistics(square, path, band=2).loc["u0", "mean"] == pytest.approx(2.0)


@pytest.mark.parametrize("window", ["whole", "cut"])
def test_weights_match_shapely_on_real_villages(layers_all, window):
    """25 neighbouring villages over a grid of random values with a tenth of the cells invalid
    (synthetic): weighted count, mean, squared deviations, min and max of each against shapely's
    intersection area with every cell. Random values make every cell's weight count, so a wrong
    fraction anywhere shows. A window that cuts the villages off on all four sides weighs only the
    cells inside it."""
    transform = Affine(0.0004, 0, 109.58, 0, -0.0004, -6.84)
    geometries = layers_all.desa.geometry.iloc[:25].to_numpy()
    col_min, row_max = (~transform) @ shapely.total_bounds(geometries)[:2]
    col_max, row_min = (~transform) @ shapely.total_bounds(geometries)[2:]
    top, left, bottom, right = int(row_min) - 1, int(col_min) - 1, int(row_max) + 2, int(col_max) + 2
    if window == "cut":
        middle_row, middle_col = (top + bottom) // 2, (left + right) // 2
        top, bottom, left, right = middle_row - 40, middle_row + 40, middle_col - 45, middle_col + 45
    rng = np.random.default_rng(11)
    values = rng.normal(50, 10, (bottom - top, right - left)).astype("float32")
    valid = rng.random(values.shape) > 0.1
    rings, every_unit = grid_rings(geometries, transform), np.arange(len(geometries))
    found = window_totals(rings, every_unit, values, valid, (top, left), categorical=False)

    rows, cols = np.indices(values.shape)
    rows, cols = rows + top, cols + left
    cells = shapely.box(*(transform @ (cols, rows + 1)), *(transform @ (cols + 1, rows)))
    v = values.astype(float)
    for position, geometry in enumerate(geometries):
        weight = shapely.area(shapely.intersection(geometry, cells)) / 0.0004**2 * valid
        at = np.flatnonzero(found["index"] == position)
        if weight.sum() < 1e-9:
            assert not at.size
            continue
        (at,) = at
        count, mean = weight.sum(), (weight * v).sum() / weight.sum()
        assert found["count"][at] == pytest.approx(count, rel=1e-9)
        assert found["mean"][at] == pytest.approx(mean, rel=1e-9)
        assert found["m2"][at] == pytest.approx((weight * (v - mean) ** 2).sum(), rel=1e-8)
        assert found["min"][at] == v[weight > 1e-9].min() and found["max"][at] == v[weight > 1e-9].max()
    if window == "whole":  # every village wholly inside: all its area counted
        everything = window_totals(rings, every_unit, values, np.ones_like(valid), (top, left), False)
        counted = np.zeros(len(geometries))
        counted[everything["index"]] = everything["count"]
        assert counted == pytest.approx(shapely.area(geometries) / 0.0004**2, rel=1e-9)


def test_cli_overlay_joins_statistics_to_the_batik_layer(layers_all, tmp_path, capsys):
    import pyogrio

    from atlas.cli import main

    minx, miny, maxx, maxy = layers_all.desa.total_bounds
    transform = from_origin(minx - 0.01, maxy + 0.01, 0.002, 0.002)
    rows, cols = int((maxy - miny + 0.02) / 0.002) + 1, int((maxx - minx + 0.02) / 0.002) + 1
    path = write_raster(tmp_path / "elev.tif", np.full((rows, cols), 12.5, dtype="float32"), transform, crs="EPSG:4326")
    out = tmp_path / "overlay.gpkg"
    assert main(["overlay", str(path), "--stats", "mean,max,coverage", "--out", str(out)]) == 0
    assert "raster covers 312 fully" in capsys.readouterr().out
    frame = pyogrio.read_dataframe(out, layer="desa").set_index("KDEPUM")
    assert len(frame) == 312 and {"r_mean", "r_max", "r_coverage", "r_cakupan"} <= set(frame.columns)
    assert np.allclose(frame["r_mean"], 12.5) and frame.loc["33.75.02.1004", "pekerja"] == 434
    meta = dict(pyogrio.read_dataframe(out, layer="metadata", read_geometry=False).values)
    assert meta["raster"] == "elev.tif" and meta["raster_crs"] == "EPSG:4326"
    assert main(["overlay", str(path), "--out", str(out)]) == 2  # exists: kept without --force
    assert main(["overlay", str(path), "--stats", "median", "--out", str(tmp_path / "x.csv")]) == 2
    assert "unknown statistic" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


KERNEL_OUT_OF_MEMORY = """
import resource, sys
import numpy as np
from atlas.analysis._coverage import window_statistics

width = 20_000_000  # one row of cells; every zig-zag edge below crosses all of its columns
values = np.zeros((1, width), dtype=np.uint8)
valid = np.ones((1, width), dtype=np.uint8)
edges = 400  # about 8e9 pieces of 32 bytes: far beyond the memory allowed below
x = np.array([0.0 if i % 2 == 0 else float(width) for i in range(edges)] + [0.0])
y = np.array([0.1 + 0.8 * i / edges for i in range(edges)] + [0.1])
with open("/proc/self/status") as status:
    used = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize"))
resource.setrlimit(resource.RLIMIT_AS, (used + 1_500_000_000, resource.RLIM_INFINITY))
try:
    window_statistics(
        x, y, np.array([0, len(x)], dtype=np.int64), np.array([1], dtype=np.uint8),
        np.array([0, 1], dtype=np.int64), np.array([0], dtype=np.int64), values, valid, 0, 0, False, 0.0,
    )
except MemoryError:
    print("MemoryError raised")
    sys.exit(0)
print("no error")
"""


def test_the_kernel_raises_memory_error_instead_of_ending_the_process():
    """Under a memory cap (a child process of its own), a polygon whose pieces cannot be held
    makes the compiled kernel raise MemoryError; the process goes on (exit code 0)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", KERNEL_OUT_OF_MEMORY], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "MemoryError raised"), done.stderr[-2000:]
