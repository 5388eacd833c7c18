"""Missing samples: short interior gaps are interpolated, long ones stay missing.

A scrape or two lost is noise; interpolating over it keeps the windows around it usable.
A long outage is not normal behaviour to learn, so it stays NaN and every window touching
it is dropped from training.
"""

from __future__ import annotations

import numpy as np


def fill_short_gaps(values: np.ndarray, max_gap: int) -> np.ndarray:
    """Linearly interpolate runs of at most max_gap NaNs that have data on both sides.

    values: [rows, signals]. Leading/trailing runs are never filled (nothing to anchor them).
    """
    out = np.array(values, dtype=np.float64, copy=True)
    if max_gap <= 0:
        return out
    for column in range(out.shape[1]):
        series = out[:, column]
        missing = np.isnan(series)
        if not missing.any():
            continue
        for start, stop in _runs(missing):
            if start == 0 or stop == len(series) or stop - start > max_gap:
                continue
            left, right = series[start - 1], series[stop]
            fraction = np.arange(1, stop - start + 1) / (stop - start + 1)
            series[start:stop] = left + (right - left) * fraction
    return out


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) index pairs of consecutive True values."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist()))
