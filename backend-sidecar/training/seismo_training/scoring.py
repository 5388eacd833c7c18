"""Reconstruction error: the quantity calibration, thresholds and the sidecar all share.

Two reductions (manifest `error.reduction`), both in normalised units and both a mean of
per-signal terms, which is how the sidecar explains a score by signal:

- squared: error(window) = mean over signals and steps of (x - x_hat)^2.
- scaled: per signal, mean |x - x_hat| over the newest steps divided by the signal's typical
  residual on held-out training windows (see ErrorOptions).
"""

from __future__ import annotations

from dataclasses import dataclass

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


SQUARED = "mean_squared_error_over_signals_and_steps"
SCALED = "mean_absolute_scaled_residual"
REDUCTIONS = {"squared": SQUARED, "scaled": SCALED}
# Normalised units (robust standard deviations). A signal the model reconstructs almost
# perfectly in training (e.g. constant) would otherwise turn a tiny deviation into a huge term.
RESIDUAL_SCALE_FLOOR = 0.05


@dataclass(frozen=True)
class ErrorOptions:
    """How a window's residual becomes its raw error (manifest `error` section).

    reduction "squared": mean over signals and steps of (x - x_hat)^2.
    reduction "scaled": per signal, the mean of |x - x_hat| over the newest `steps` steps
    divided by that signal's typical residual on held-out training windows; the window error
    is the mean over signals. Scaling stops a signal the model always reconstructs loosely from
    drowning one that is normally reconstructed well and breaks; the newest steps decide so a
    score describes the present rather than the start of the window. steps=None means a
    quarter of the window.
    """

    reduction: str = "squared"
    steps: int | None = None

    def resolved_steps(self, window: int) -> int:
        steps = self.steps if self.steps is not None else max(1, window // 4)
        if not 1 <= steps <= window:
            raise ValueError(f"error steps must be in [1, {window}], got {steps}")
        return steps


@dataclass(frozen=True)
class ErrorSpec:
    reduction: str = SQUARED
    steps: int | None = None  # newest steps (scaled reduction only)
    residual_scale: tuple[float, ...] | None = None  # per signal, model order (scaled only)

    def signal_errors(self, windows: np.ndarray, reconstruction: np.ndarray) -> np.ndarray:
        """[N, signals] in float64, exactly what the sidecar computes from the same tensors."""
        if self.reduction == SQUARED:
            return signal_errors(windows, reconstruction)
        diff = windows[:, :, -self.steps:].astype(np.float64) - reconstruction[:, :, -self.steps:].astype(np.float64)
        return np.abs(diff).mean(axis=2) / np.asarray(self.residual_scale, dtype=np.float64)

    def window_errors(self, windows: np.ndarray, reconstruction: np.ndarray) -> np.ndarray:
        return self.signal_errors(windows, reconstruction).mean(axis=1)

    def model_errors(self, model: nn.Module, windows: np.ndarray) -> np.ndarray:
        return self.window_errors(windows, reconstruct(model, windows))

    def to_manifest(self, signals: tuple[str, ...]) -> dict:
        if self.reduction == SQUARED:
            return {"reduction": SQUARED, "space": "normalised",
                    "per_signal": "mean over steps of the squared error of one signal; "
                                  "the window error is the mean of these"}
        return {"reduction": SCALED, "space": "normalised",
                "per_signal": "mean of |x - x_hat| over the newest `steps` steps of one signal divided by "
                              "residual_scale[signal]; the window error is the mean of these",
                "steps": int(self.steps),
                "residual_scale": {s: float(v) for s, v in zip(signals, self.residual_scale)}}

    @staticmethod
    def from_manifest(section: dict, signals: tuple[str, ...]) -> "ErrorSpec":
        if section["reduction"] == SQUARED:
            return ErrorSpec()
        return ErrorSpec(SCALED, int(section["steps"]),
                         tuple(float(section["residual_scale"][s]) for s in signals))


def fit_error_spec(options: ErrorOptions, model: nn.Module, held_out: np.ndarray) -> ErrorSpec:
    """Learn the error's per-signal scales on windows the weights were not fitted on."""
    if options.reduction in (SQUARED, "squared"):
        return ErrorSpec()
    if options.reduction not in (SCALED, "scaled"):
        raise ValueError(f"unknown error reduction {options.reduction!r}; choose squared or scaled")
    steps = options.resolved_steps(held_out.shape[2])
    residual = np.abs(held_out[:, :, -steps:].astype(np.float64)
                      - reconstruct(model, held_out)[:, :, -steps:].astype(np.float64))
    scale = np.maximum(residual.mean(axis=(0, 2)), RESIDUAL_SCALE_FLOOR)
    return ErrorSpec(SCALED, steps, tuple(float(v) for v in scale))
