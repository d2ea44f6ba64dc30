import numpy as np

def window_statistics(
    x: np.ndarray,
    y: np.ndarray,
    ring_start: np.ndarray,
    ring_exterior: np.ndarray,
    unit_rings: np.ndarray,
    units: np.ndarray,
    values: np.ndarray,
    valid: np.ndarray,
    row_start: int,
    col_start: int,
    categorical: bool,
    min_fraction: float,
) -> tuple[np.ndarray, ...]: ...
