"""Reconstruction error: the quantity calibration, thresholds and the sidecar all share.

error(window) = mean over signals and steps of (x - x_hat)^2 in normalised units.
signal_error(window, s) = mean over steps of signal s's squared error; the per-window error
is the mean of these, which is how the sidecar explains a score by signal.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def reconstruct(model: nn.Module, windows: np.ndarray, batch_size: int = 1024) -> np.ndarray:
    model.eval()
    outputs = []
    with torch.no_grad():
        for start in range(0, len(windows), batch_size):
            outputs.append(model(torch.from_numpy(windows[start:start + batch_size])).numpy())
    if not outputs:
        return np.empty_like(windows)
    return np.concatenate(outputs, axis=0)


def signal_errors(windows: np.ndarray, reconstruction: np.ndarray) -> np.ndarray:
    """[N, signals]; computed in float64 so the Node side can match it exactly."""
    diff = windows.astype(np.float64) - reconstruction.astype(np.float64)
    return (diff**2).mean(axis=2)


def window_errors(windows: np.ndarray, reconstruction: np.ndarray) -> np.ndarray:
    return signal_errors(windows, reconstruction).mean(axis=1)


def model_errors(model: nn.Module, windows: np.ndarray) -> np.ndarray:
    return window_errors(windows, reconstruct(model, windows))
