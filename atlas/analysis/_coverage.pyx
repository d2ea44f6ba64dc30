# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The compiled core of ``atlas.analysis.coverage`` (its docstring explains the method): each
polygon's edges cut at the grid lines, the pieces summed per cell, each row's border cells and
the runs between them found, and the window's cell values weighted by them, one polygon at a
time so that its pieces stay in the processor's cache. Edges are cut only at the window's own row
and column lines: what lies beyond it stays whole. Nothing is kept between polygons but their
results, and the GIL is released, so threads weigh strips side by side. Every function that
allocates returns -1 on an allocation failure, which reaches the caller as ``MemoryError``
(``except +`` turns C++'s bad_alloc into it) instead of ending the process."""

from libc.math cimport floor
from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libcpp.algorithm cimport sort
from libcpp.map cimport map as ordered_map
from libcpp.vector cimport vector

import numpy as np

cdef extern from *:
    """
    #include <cmath>
    #include <cstdint>
    #include <map>
    #include <vector>
    struct Piece {
        long long row;
        long long col;
        double area;
        double dy;
        bool operator<(const Piece& other) const { return col < other.col; }
    };
    struct Weighing {  // what one polygon's cells add up to; values are taken minus ``shift``, its first valid value
        double min_fraction;  // a cell covered less is rounding, not cover
        bool categorical;
        double weight, first, second, low, high, shift;
        bool shifted;
        std::map<double, double> classes;  // class value -> covered cells
        void reset() {
            weight = first = second = shift = 0.0;
            low = INFINITY;
            high = -INFINITY;
            shifted = false;
            classes.clear();
        }
    };
    struct Results {
        std::vector<int64_t> unit, class_unit;
        std::vector<double> count, mean, m2, low, high, class_value, class_weight;
    };
    // the two allocations Cython's declarations do not mark ``except +``
    static void add_to_class(std::map<double, double>& classes, double value, double weight) {
        classes[value] += weight;
    }
    static void zeros(std::vector<long long>& counts, size_t n) { counts.assign(n, 0); }
    """
    cdef cppclass Piece:
        long long row
        long long col
        double area
        double dy

    cdef cppclass Weighing:
        double min_fraction
        bint categorical
        double weight, first, second, low, high, shift
        bint shifted
        ordered_map[double, double] classes
        void reset() noexcept nogil

    cdef cppclass Results:
        vector[int64_t] unit, class_unit
        vector[double] count, mean, m2, low, high, class_value, class_weight

    void add_to_class(ordered_map[double, double]& classes, double value, double weight) except + nogil
    void zeros(vector[long long]& counts, size_t n) except + nogil


ctypedef fused cell_t:
    uint8_t
    int8_t
    uint16_t
    int16_t
    uint32_t
    int32_t
    uint64_t
    int64_t
    float
    double


cdef struct Grid:  # the window: its rows and columns in the raster, and its valid cells
    long long row_start
    long long row_stop
    long long col_start
    long long col_stop
    const uint8_t* valid  # row-major, like the values


def window_statistics(
    const double[::1] x,
    const double[::1] y,
    const int64_t[::1] ring_start,
    const uint8_t[::1] ring_exterior,
    const int64_t[::1] unit_rings,
    const int64_t[::1] units,
    const cell_t[:, ::1] values,
    const uint8_t[:, ::1] valid,
    long long row_start,
    long long col_start,
    bint categorical,
    double min_fraction,
):
    """Statistics of the window's cells (``values``, ``valid``: the window, its first cell at
    ``row_start``, ``col_start`` of the grid) under the polygons ``units``, given as rings of grid
    coordinates: polygon ``u`` is rings ``unit_rings[u]`` to ``unit_rings[u + 1]``, ring ``r`` is
    points ``ring_start[r]`` to ``ring_start[r + 1]`` (closed), an exterior or a hole. Returns, for
    each polygon with valid covered cells: its number, weighted count, mean, m2 (sum of weighted
    squared deviations), min and max; and, when ``categorical``, (polygon, class value, weight)
    triples."""
    cdef Grid grid = Grid(row_start, row_start + values.shape[0], col_start, col_start + values.shape[1], &valid[0, 0])
    cdef Results results
    cdef vector[Piece] pieces, by_row
    cdef vector[long long] row_count
    cdef Weighing weighing
    cdef double orientation
    cdef Py_ssize_t k, unit, r, i
    weighing.min_fraction, weighing.categorical = min_fraction, categorical
    with nogil:
        for k in range(units.shape[0]):
            unit = units[k]
            pieces.clear()
            for r in range(unit_rings[unit], unit_rings[unit + 1]):
                orientation = _orientation(&x[0], &y[0], ring_start[r], ring_start[r + 1], ring_exterior[r])
                for i in range(ring_start[r], ring_start[r + 1] - 1):
                    _cut_rows(x[i], y[i], x[i + 1], y[i + 1], orientation, &grid, &pieces)
            weighing.reset()
            _gather(&pieces, &by_row, &row_count, &grid, &values[0, 0], &weighing)
            _keep(unit, &weighing, &results)
    return (
        np.array(results.unit, dtype=np.int64),
        np.array(results.count),
        np.array(results.mean),
        np.array(results.m2),
        np.array(results.low),
        np.array(results.high),
        np.array(results.class_unit, dtype=np.int64),
        np.array(results.class_value),
        np.array(results.class_weight),
    )


cdef double _orientation(const double* x, const double* y, Py_ssize_t start, Py_ssize_t stop, bint exterior) noexcept nogil:
    """+1 or -1: the factor that makes the ring add its area if it is an exterior and take it
    away if it is a hole, whichever way it runs (in grid coordinates, rows grow downwards, so an
    exterior adds with a negative shoelace sum)."""
    cdef double twice_area = 0.0
    cdef Py_ssize_t i
    for i in range(start, stop - 1):
        twice_area += x[i] * y[i + 1] - x[i + 1] * y[i]
    return 1.0 if (twice_area < 0) == exterior else -1.0


cdef inline int _cut_rows(double x0, double y0, double x1, double y1, double orientation, Grid* grid, vector[Piece]* pieces) except -1 nogil:
    """Edge (x0, y0) -> (x1, y1) cut where it crosses a row line of the window; each part is cut
    at the columns. Parts above or below the window are not cut (they are left out)."""
    if y0 == y1:  # a level edge adds nothing (its dy is 0)
        return 0
    cdef double low = y0 if y0 < y1 else y1, high = y1 if y0 < y1 else y0
    if high <= grid.row_start or low >= grid.row_stop:
        return 0
    cdef double first = max(floor(low) + 1, <double>grid.row_start), last = min(floor(high), <double>grid.row_stop)
    cdef double line, px = x0, py = y0, cross_x
    cdef long long k, count = <long long>(last - first) + 1
    for k in range(count):
        line = first + k if y1 > y0 else last - k
        cross_x = x0 + (line - y0) / (y1 - y0) * (x1 - x0)
        _cut_columns(px, py, cross_x, line, orientation, grid, pieces)
        px, py = cross_x, line
    _cut_columns(px, py, x1, y1, orientation, grid, pieces)


cdef inline int _cut_columns(double x0, double y0, double x1, double y1, double orientation, Grid* grid, vector[Piece]* pieces) except -1 nogil:
    """Part of an edge within one row, cut where it crosses a column line of the window; kept if
    the row is in the window. West or east of the window it stays whole (only its dy counts)."""
    cdef long long row = <long long>floor((y0 + y1) / 2)
    if row < grid.row_start or row >= grid.row_stop:
        return 0
    cdef double low = x0 if x0 < x1 else x1, high = x1 if x0 < x1 else x0
    cdef double first = max(floor(low) + 1, <double>grid.col_start), last = min(floor(high), <double>grid.col_stop)
    cdef double line, px = x0, py = y0, cross_y
    cdef long long k, count = <long long>(last - first) + 1
    for k in range(count):
        line = first + k if x1 > x0 else last - k
        cross_y = y0 + (line - x0) / (x1 - x0) * (y1 - y0)
        _add_piece(row, px, py, line, cross_y, orientation, grid, pieces)
        px, py = line, cross_y
    _add_piece(row, px, py, x1, y1, orientation, grid, pieces)


cdef inline int _add_piece(long long row, double x0, double y0, double x1, double y1, double orientation, Grid* grid, vector[Piece]* pieces) except -1 nogil:
    """A piece within one cell: its row, column (west of the window: carries its dy east; east of
    it: only ends the last run), area term and dy."""
    cdef Piece piece
    cdef double mid_x = (x0 + x1) / 2
    if y1 == y0:
        return 0
    piece.row = row
    piece.col = <long long>floor(mid_x)
    piece.dy = orientation * (y1 - y0)
    piece.area = piece.dy * (piece.col + 1 - mid_x)
    if piece.col < grid.col_start - 1:
        piece.col = grid.col_start - 1
    elif piece.col > grid.col_stop:
        piece.col = grid.col_stop
    pieces.push_back(piece)


cdef int _gather(
    vector[Piece]* pieces,
    vector[Piece]* by_row,
    vector[long long]* row_count,
    Grid* grid,
    const cell_t* values,
    Weighing* weighing,
) except -1 nogil:
    """One polygon's pieces ordered by row (counting sort) and column, then weighed row by row."""
    cdef Py_ssize_t n = pieces.size(), i, begin, end
    if n == 0:
        return 0
    cdef long long low = pieces[0][0].row, high = low, row, rows
    for i in range(n):
        row = pieces[0][i].row
        if row < low:
            low = row
        if row > high:
            high = row
    rows = high - low + 1
    zeros(row_count[0], rows + 1)
    for i in range(n):
        row_count[0][pieces[0][i].row - low + 1] += 1
    for row in range(rows):
        row_count[0][row + 1] += row_count[0][row]
    by_row.resize(n)
    for i in range(n):  # row_count[r] is where row r's next piece goes
        row = pieces[0][i].row - low
        by_row[0][row_count[0][row]] = pieces[0][i]
        row_count[0][row] += 1
    begin = 0
    for row in range(rows):
        end = row_count[0][row]
        if end > begin:
            sort(by_row.data() + begin, by_row.data() + end)
            _weigh_row(row + low, by_row.data() + begin, end - begin, grid, values, weighing)
        begin = end


cdef inline double _clipped(double value) noexcept nogil:
    return 0.0 if value < 0.0 else (1.0 if value > 1.0 else value)


cdef int _weigh_row(
    long long row,
    Piece* piece,
    Py_ssize_t n,
    Grid* grid,
    const cell_t* values,
    Weighing* weighing,
) except -1 nogil:
    """The pieces of one row of one polygon, sorted by column: each column with pieces is a border
    cell with a fraction of its own; the cells up to the next such column share one fraction."""
    cdef Py_ssize_t i = 0, width = grid.col_stop - grid.col_start
    cdef Py_ssize_t offset = (row - grid.row_start) * width - grid.col_start  # of column 0 in this row
    cdef long long col, run_start, n_cells
    cdef double area, dy, running = 0.0, fraction
    while i < n:
        col, area, dy = piece[i].col, 0.0, 0.0
        while i < n and piece[i].col == col:
            area += piece[i].area
            dy += piece[i].dy
            i += 1
        running += dy
        fraction = _clipped(running - dy + area)
        if grid.col_start <= col < grid.col_stop and fraction > weighing.min_fraction:
            _add_cells(values + offset + col, grid.valid + offset + col, 1, fraction, weighing)
        if i < n:
            run_start = col + 1 if col + 1 > grid.col_start else grid.col_start
            fraction = _clipped(running)
            if piece[i].col > run_start and fraction > weighing.min_fraction:
                n_cells = piece[i].col - run_start
                _add_cells(values + offset + run_start, grid.valid + offset + run_start, n_cells, fraction, weighing)


cdef int _add_cells(
    const cell_t* values,
    const uint8_t* valid,
    Py_ssize_t n,
    double fraction,
    Weighing* weighing,
) except -1 nogil:
    """``n`` consecutive cells of a row, each covered by ``fraction``: the valid ones added."""
    cdef Py_ssize_t i = 0, same
    cdef double value, deviation, count = 0.0, first = 0.0, second = 0.0
    if not weighing.shifted:
        while i < n and not valid[i]:
            i += 1
        if i == n:
            return 0
        weighing.shift, weighing.shifted = <double>values[i], True
    for i in range(i, n):
        if valid[i]:
            value = <double>values[i]
            deviation = value - weighing.shift
            count += 1.0
            first += deviation
            second += deviation * deviation
            if value < weighing.low:
                weighing.low = value
            if value > weighing.high:
                weighing.high = value
    weighing.weight += fraction * count
    weighing.first += fraction * first
    weighing.second += fraction * second
    if weighing.categorical:  # a stretch of one class is added at once
        i = 0
        while i < n:
            same = 1
            while i + same < n and values[i + same] == values[i] and valid[i + same] == valid[i]:
                same += 1
            if valid[i]:
                add_to_class(weighing.classes, <double>values[i], fraction * same)
            i += same


cdef int _keep(int64_t unit, Weighing* weighing, Results* results) except -1 nogil:
    """The polygon's results, if any of its covered cells is valid."""
    if weighing.weight <= 0:
        return 0
    results.unit.push_back(unit)
    results.count.push_back(weighing.weight)
    results.mean.push_back(weighing.shift + weighing.first / weighing.weight)
    results.m2.push_back(max(weighing.second - weighing.first * weighing.first / weighing.weight, 0.0))
    results.low.push_back(weighing.low)
    results.high.push_back(weighing.high)
    for entry in weighing.classes:
        results.class_unit.push_back(unit)
        results.class_value.push_back(entry.first)
        results.class_weight.push_back(entry.second)
