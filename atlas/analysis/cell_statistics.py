"""Coverage-weighted statistics of a window of raster cells, per polygon, from its ``Cover``.

Border cells are weighted one by one. The cells of a run share one weight, so a run's sum, sum of
squares, minimum and maximum each come from one ``reduceat`` pass over the window, whatever the
number of runs. Values are shifted by a typical value of the window before squaring, so that the
squared deviations keep their precision (no cancellation when values are large and alike).
"""

from __future__ import annotations

import numpy as np

from atlas.analysis.coverage import Cover, GridWindow

CHUNK_CELLS = 262_144  # window cells copied to float64 at a time (2 MB: bounded memory, in the cache)
CLASS_CHUNK_CELLS = 1_000_000  # run cells expanded at a time for class shares (bounded memory)


def window_totals(cover: Cover, values: np.ndarray, valid: np.ndarray, window: GridWindow, categorical: bool) -> dict:
    """Partial results of every polygon with valid covered cells in ``window`` (``values`` and
    ``valid`` hold exactly its cells): ``index`` (positions in the polygon list), weighted
    ``count``, ``mean``, ``m2`` (sum of weighted squared deviations), ``min``, ``max`` and, for
    ``categorical`` rasters, ``classes`` (value -> covered cells) of each."""
    width = values.shape[1]
    flat, ok = values.reshape(-1), valid.reshape(-1)
    n = int(max(cover.unit.max(initial=-1), cover.run_unit.max(initial=-1))) + 1

    position = (cover.row - window.row_start) * width + (cover.col - window.col_start)
    good = ok[position]
    unit, weight = cover.unit[good], cover.fraction[good]
    cell_value = flat[position[good]].astype(np.float64)
    shift = float(np.median(cell_value)) if cell_value.size else 0.0

    start = (cover.run_row - window.row_start) * width + (cover.run_start - window.col_start)
    order = np.argsort(start)  # in window order, so the passes between runs add up to one window
    run_unit, run_weight = cover.run_unit[order], cover.run_fraction[order]
    run_start = start[order]
    run_length = (cover.run_stop - cover.run_start)[order]
    runs = _RunSums(flat, ok, width, run_start, run_start + run_length, shift)

    count = np.bincount(unit, weight, n) + np.bincount(run_unit, run_weight * runs.count, n)
    shifted = cell_value - shift
    first = np.bincount(unit, weight * shifted, n) + np.bincount(run_unit, run_weight * runs.sum, n)
    second = np.bincount(unit, weight * shifted**2, n) + np.bincount(run_unit, run_weight * runs.sum_squares, n)
    low, high = np.full(n, np.inf), np.full(n, -np.inf)
    np.minimum.at(low, unit, cell_value)
    np.maximum.at(high, unit, cell_value)
    measured = runs.count > 0
    np.minimum.at(low, run_unit[measured], runs.low[measured])
    np.maximum.at(high, run_unit[measured], runs.high[measured])

    met = np.flatnonzero(count > 0)
    total = count[met]
    out = {
        "index": met,
        "count": total,
        "mean": shift + first[met] / total,
        "m2": np.maximum(second[met] - first[met] ** 2 / total, 0.0),
        "min": low[met],
        "max": high[met],
        "classes": [],
    }
    if categorical:
        out["classes"] = _class_weights(
            unit, weight, cell_value, run_unit, run_weight, run_start, run_length, flat, ok, met
        )
    return out


class _RunSums:
    """Per run (cells ``flat[start:stop]``, runs in window order): valid cells, sum and sum of
    squares of the values minus ``shift``, minimum and maximum (NaN where a run has no valid cell).
    The window is taken ``CHUNK_CELLS`` at a time (whole rows) into one reused float64 buffer, so
    its float64 copy stays small; a chunk without invalid cells takes fewer passes."""

    def __init__(self, flat: np.ndarray, ok: np.ndarray, width: int, start: np.ndarray, stop: np.ndarray, shift: float):
        self.count, self.sum, self.sum_squares = np.zeros(start.size), np.zeros(start.size), np.zeros(start.size)
        self.low, self.high = np.full(start.size, np.nan), np.full(start.size, np.nan)
        rows = max(1, CHUNK_CELLS // width)
        buffer = np.empty(min(rows * width, flat.size) + 1)  # and a cell past the end, where a run may end
        for first_cell in range(0, flat.size, rows * width):
            last_cell = min(first_cell + rows * width, flat.size)
            runs = slice(*np.searchsorted(start, [first_cell, last_cell]))  # a run never leaves its row
            if runs.start < runs.stop:
                bounds = np.column_stack([start[runs], stop[runs]]).reshape(-1) - first_cell
                cells = buffer[: last_cell - first_cell + 1]
                self._add(runs, flat[first_cell:last_cell], ok[first_cell:last_cell], bounds, shift, cells)

    def _add(self, runs: slice, flat: np.ndarray, ok: np.ndarray, bounds: np.ndarray, shift: float, cells) -> None:
        """The runs ``runs`` of one chunk (``bounds``: start and stop of each, within the chunk);
        ``cells`` is a float64 buffer one cell longer than the chunk."""
        if ok.all() and bounds.max() < flat.size:  # no invalid cell, no run to the chunk's end
            self.low[runs] = np.minimum.reduceat(flat, bounds)[::2]
            self.high[runs] = np.maximum.reduceat(flat, bounds)[::2]
            self.count[runs] = np.diff(bounds)[::2]
            cells = cells[:-1]  # the cell past the end is not needed
            np.subtract(flat, shift, out=cells, dtype=np.float64)
        else:
            valid = np.append(ok, False)  # the cell past the end is never valid
            cells[:-1] = flat
            cells[~valid] = np.nan  # fmin and fmax pass over NaN
            self.low[runs] = np.fmin.reduceat(cells, bounds)[::2]
            self.high[runs] = np.fmax.reduceat(cells, bounds)[::2]
            self.count[runs] = np.add.reduceat(valid, bounds, dtype=np.float64)[::2]
            cells -= shift
            cells[~valid] = 0.0
        self.sum[runs] = np.add.reduceat(cells, bounds)[::2]
        np.square(cells, out=cells)
        self.sum_squares[runs] = np.add.reduceat(cells, bounds)[::2]


def _class_weights(unit, weight, cell_value, run_unit, run_weight, run_start, run_length, flat, ok, met) -> list:
    """Covered cells of each class value, per polygon in ``met``: border cells and every run cell."""
    units, values, weights = [unit], [cell_value], [weight]
    first = 0
    while first < len(run_length):  # runs expanded a chunk at a time
        stop = first + max(1, int(np.searchsorted(np.cumsum(run_length[first:]), CLASS_CHUNK_CELLS, "right")))
        lengths = run_length[first:stop]
        position = np.repeat(run_start[first:stop] - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        good = ok[position]
        units.append(np.repeat(run_unit[first:stop], lengths)[good])
        values.append(flat[position[good]].astype(np.float64))
        weights.append(np.repeat(run_weight[first:stop], lengths)[good])
        first = stop
    classes, value_index = np.unique(np.concatenate(values), return_inverse=True)
    keys, inverse = np.unique(np.concatenate(units) * len(classes) + value_index, return_inverse=True)
    sums = np.bincount(inverse, np.concatenate(weights))
    by_unit: dict[int, dict[float, float]] = {}
    for key, total in zip(keys.tolist(), sums.tolist()):
        by_unit.setdefault(key // len(classes), {})[float(classes[key % len(classes)])] = total
    return [by_unit.get(int(u), {}) for u in met]
