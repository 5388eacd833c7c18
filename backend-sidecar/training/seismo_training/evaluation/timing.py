"""Inference cost on one CPU thread, the budget a shared sidecar host can assume."""

from __future__ import annotations

import time

import numpy as np
import torch
from torch import nn


def ms_per_1000_windows(model: nn.Module, windows: np.ndarray, repeats: int = 5) -> float:
    """Fastest of several batched forward passes over 1,000 windows, single-threaded.

    The minimum, not the mean, because other processes on a shared host only ever add time.
    """
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        batch = torch.from_numpy(np.resize(windows, (1000, *windows.shape[1:])).astype(np.float32))
        model.eval()
        times = []
        with torch.no_grad():
            model(batch)  # warm-up: first call allocates
            for _ in range(repeats):
                began = time.perf_counter()
                model(batch)
                times.append((time.perf_counter() - began) * 1000.0)
        return float(min(times))
    finally:
        torch.set_num_threads(previous)
