import numpy as np

def cover_cells(
    x: np.ndarray,
    y: np.ndarray,
    ring_start: np.ndarray,
    ring_owner: np.ndarray,
    row_start: int,
    row_stop: int,
    col_start: int,
    col_stop: int,
    sign: float,
    min_fraction: float,
) -> tuple[np.ndarray, ...]: ...
