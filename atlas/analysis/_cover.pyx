# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The compiled core of ``atlas.analysis.coverage``: polygon edges cut at the grid lines, their
pieces gathered per cell, and each row's border cells and runs found (see that module's docstring
for the method). One polygon at a time, so its pieces stay in the processor's cache; the GIL is
released, so threads cover bands side by side."""

from libc.math cimport floor
from libc.stdint cimport int64_t
from libcpp.algorithm cimport sort
from libcpp.vector cimport vector

import numpy as np

cdef extern from *:
    """
    #include <cstdint>
    #include <vector>
    struct Piece {
        long long row;
        long long col;
        double area;
        double dy;
        bool operator<(const Piece& other) const { return col < other.col; }
    };
    struct Found {
        std::vector<int64_t> unit, row, col, run_unit, run_row, run_start, run_stop;
        std::vector<double> fraction, run_fraction;
    };
    """
    cdef cppclass Piece:
        long long row
        long long col
        double area
        double dy

    cdef cppclass Found:
        vector[int64_t] unit, row, col, run_unit, run_row, run_start, run_stop
        vector[double] fraction, run_fraction


cdef struct Window:
    long long row_start
    long long row_stop
    long long col_start
    long long col_stop


def cover_cells(
    const double[::1] x,
    const double[::1] y,
    const int64_t[::1] ring_start,
    const int64_t[::1] ring_owner,
    long long row_start,
    long long row_stop,
    long long col_start,
    long long col_stop,
    double sign,
    double min_fraction,
):
    """Border cells and runs of polygons given as rings of grid coordinates: ring ``r`` is points
    ``ring_start[r]`` to ``ring_start[r + 1]`` (closed), of polygon ``ring_owner[r]`` (rings of one
    polygon are consecutive). Returns the nine arrays of ``coverage.Cover``, in its order."""
    cdef Window window = Window(row_start, row_stop, col_start, col_stop)
    cdef Found found
    cdef vector[Piece] pieces, by_row
    cdef vector[long long] row_count
    cdef Py_ssize_t rings = ring_owner.shape[0], first = 0, last, r, i
    with nogil:
        while first < rings:
            last = first
            while last < rings and ring_owner[last] == ring_owner[first]:
                last += 1
            pieces.clear()
            for r in range(first, last):
                for i in range(ring_start[r], ring_start[r + 1] - 1):
                    _cut_rows(x[i], y[i], x[i + 1], y[i + 1], &window, &pieces)
            _gather(ring_owner[first], &pieces, &by_row, &row_count, &window, sign, min_fraction, &found)
            first = last
    return (
        _array(found.unit), _array(found.row), _array(found.col), _fractions(found.fraction),
        _array(found.run_unit), _array(found.run_row), _array(found.run_start), _array(found.run_stop),
        _fractions(found.run_fraction),
    )


cdef inline void _cut_rows(double x0, double y0, double x1, double y1, Window* window, vector[Piece]* pieces) noexcept nogil:
    """Edge (x0, y0) -> (x1, y1) cut where it crosses a row line; each part is cut at the columns."""
    if y0 == y1:  # a level edge adds nothing (its dy is 0)
        return
    cdef double low = floor(y0 if y0 < y1 else y1), high = floor(y1 if y0 < y1 else y0)
    cdef double line, px = x0, py = y0, cross_x
    cdef long long k, count = <long long>(high - low)
    for k in range(count):
        line = low + 1 + k if y1 > y0 else high - k
        cross_x = x0 + (line - y0) / (y1 - y0) * (x1 - x0)
        _cut_columns(px, py, cross_x, line, window, pieces)
        px, py = cross_x, line
    _cut_columns(px, py, x1, y1, window, pieces)


cdef inline void _cut_columns(double x0, double y0, double x1, double y1, Window* window, vector[Piece]* pieces) noexcept nogil:
    """Part of an edge within one row, cut where it crosses a column line; pieces in the window's rows kept."""
    cdef double low = floor(x0 if x0 < x1 else x1), high = floor(x1 if x0 < x1 else x0)
    cdef double line, px = x0, py = y0, cross_y
    cdef long long k, count = <long long>(high - low)
    if <long long>floor((y0 + y1) / 2) < window.row_start or <long long>floor((y0 + y1) / 2) >= window.row_stop:
        return
    for k in range(count):
        line = low + 1 + k if x1 > x0 else high - k
        cross_y = y0 + (line - x0) / (x1 - x0) * (y1 - y0)
        _add_piece(px, py, line, cross_y, window, pieces)
        px, py = line, cross_y
    _add_piece(px, py, x1, y1, window, pieces)


cdef inline void _add_piece(double x0, double y0, double x1, double y1, Window* window, vector[Piece]* pieces) noexcept nogil:
    """A piece within one cell: its row, column (west of the window: carries its dy east; east of
    it: only ends the last run), area term and dy."""
    cdef Piece piece
    cdef double mid_x = (x0 + x1) / 2
    piece.dy = y1 - y0
    if piece.dy == 0:
        return
    piece.col = <long long>floor(mid_x)
    piece.row = <long long>floor((y0 + y1) / 2)
    piece.area = piece.dy * (piece.col + 1 - mid_x)
    if piece.col < window.col_start - 1:
        piece.col = window.col_start - 1
    elif piece.col > window.col_stop:
        piece.col = window.col_stop
    pieces.push_back(piece)


cdef void _gather(
    int64_t unit,
    vector[Piece]* pieces,
    vector[Piece]* by_row,
    vector[long long]* row_count,
    Window* window,
    double sign,
    double min_fraction,
    Found* found,
) noexcept nogil:
    """One polygon's pieces ordered by row (counting sort) and column, summed per cell; the
    border cells and the runs between them found row by row."""
    cdef Py_ssize_t n = pieces.size(), i, begin, end
    if n == 0:
        return
    cdef long long low = pieces[0][0].row, high = low, row, rows
    for i in range(n):
        row = pieces[0][i].row
        if row < low:
            low = row
        if row > high:
            high = row
    rows = high - low + 1
    row_count.assign(rows + 1, 0)
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
            _scan_row(unit, row + low, by_row.data() + begin, end - begin, window, sign, min_fraction, found)
        begin = end


cdef inline double _clipped(double value) noexcept nogil:
    return 0.0 if value < 0.0 else (1.0 if value > 1.0 else value)


cdef void _scan_row(
    int64_t unit,
    long long row,
    Piece* piece,
    Py_ssize_t n,
    Window* window,
    double sign,
    double min_fraction,
    Found* found,
) noexcept nogil:
    """The pieces of one row of one polygon, sorted by column: a border cell per column with a
    fraction, and a run from after it up to the next such column."""
    cdef Py_ssize_t i = 0
    cdef long long col, run_start
    cdef double area, dy, running = 0.0, fraction
    while i < n:
        col, area, dy = piece[i].col, 0.0, 0.0
        while i < n and piece[i].col == col:
            area += piece[i].area
            dy += piece[i].dy
            i += 1
        running += dy
        fraction = _clipped(sign * (running - dy + area))
        if window.col_start <= col < window.col_stop and fraction > min_fraction:
            found.unit.push_back(unit)
            found.row.push_back(row)
            found.col.push_back(col)
            found.fraction.push_back(fraction)
        if i < n:
            run_start = col + 1 if col + 1 > window.col_start else window.col_start
            fraction = _clipped(sign * running)
            if piece[i].col > run_start and fraction > min_fraction:
                found.run_unit.push_back(unit)
                found.run_row.push_back(row)
                found.run_start.push_back(run_start)
                found.run_stop.push_back(piece[i].col)
                found.run_fraction.push_back(fraction)


cdef _array(vector[int64_t]& values):
    out = np.empty(values.size(), np.int64)
    cdef int64_t[::1] view = out
    cdef Py_ssize_t i
    for i in range(<Py_ssize_t>values.size()):
        view[i] = values[i]
    return out


cdef _fractions(vector[double]& values):
    out = np.empty(values.size(), np.float64)
    cdef double[::1] view = out
    cdef Py_ssize_t i
    for i in range(<Py_ssize_t>values.size()):
        view[i] = values[i]
    return out
