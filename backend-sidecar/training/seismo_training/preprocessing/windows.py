"""Sliding windows in the model's layout [N, signals, window] ("NCW", time last).

The layout matches PyTorch's Conv1d (channels = signals, convolution along time), and the
sidecar fills the tensor the same way: element [n, s, t] is signal s at step t of window n,
t = window - 1 being the newest sample.
"""

from __future__ import annotations

import numpy as np


def sliding_windows(values: np.ndarray, window: int, stride: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """values: [rows, signals] -> (windows [N, signals, window], end_rows [N]).

    end_rows[n] is the row index of the newest sample of window n. Windows containing any
    NaN (a gap too long to interpolate) are dropped.
    """
    if window < 1 or stride < 1:
        raise ValueError("window and stride must be positive")
    rows, signals = values.shape
    if rows < window:
        return np.empty((0, signals, window), dtype=np.float32), np.empty(0, dtype=np.int64)
    view = np.lib.stride_tricks.sliding_window_view(values, window, axis=0)  # [rows-w+1, S, W]
    view = view[::stride]
    ends = np.arange(window - 1, rows, stride, dtype=np.int64)
    keep = ~np.isnan(view).any(axis=(1, 2))
    return np.ascontiguousarray(view[keep], dtype=np.float32), ends[keep]
