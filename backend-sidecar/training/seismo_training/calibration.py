"""Map a raw reconstruction error to a score in [0, 1] using training data only.

The quantile table holds the error distribution of calibration windows (the end of the
training period, never used for fitting or early stopping). A raw error e scores as the
piecewise-linear interpolation of (quantiles -> levels): 0 at or below the smallest
calibration error, 1 at or above the largest, and e.g. 0.99 at the 99th percentile.

Threshold rule: threshold = Q(q) + margin * (Q(q) - Q(0.5)) with q = 0.995 and margin = 1,
i.e. the tail quantile pushed out by once more its distance from the median. Scaling the
margin by the spread rather than by the error itself keeps it meaningful whatever the error
level of a particular model is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LEVELS = np.linspace(0.0, 1.0, 101)
MIN_RECOMMENDED_WINDOWS = 200


@dataclass(frozen=True)
class ThresholdRule:
    quantile: float = 0.995
    margin: float = 1.0


@dataclass(frozen=True)
class Calibration:
    levels: np.ndarray
    quantiles: np.ndarray
    threshold: float
    rule: ThresholdRule
    windows: int

    def score(self, errors: np.ndarray) -> np.ndarray:
        return score(np.asarray(errors, dtype=np.float64), self.levels, self.quantiles)

    def to_manifest(self) -> dict:
        return {
            "source": "calibration windows at the end of the training period",
            "windows": self.windows,
            "levels": [round(float(v), 2) for v in self.levels],
            "quantiles": [float(v) for v in self.quantiles],
            "score": "linear interpolation of raw error over (quantiles -> levels), clamped to [0, 1]",
            "threshold": float(self.threshold),
            "threshold_score": float(self.score(np.array([self.threshold]))[0]),
            "threshold_rule": {
                "quantile": self.rule.quantile,
                "margin": self.rule.margin,
                "formula": "Q(quantile) + margin * (Q(quantile) - Q(0.5))",
            },
        }

    @staticmethod
    def from_manifest(section: dict) -> "Calibration":
        rule = ThresholdRule(section["threshold_rule"]["quantile"], section["threshold_rule"]["margin"])
        return Calibration(np.asarray(section["levels"], dtype=np.float64),
                           np.asarray(section["quantiles"], dtype=np.float64),
                           float(section["threshold"]), rule, int(section["windows"]))


def strictly_increasing(values: np.ndarray) -> np.ndarray:
    """Equal quantiles (e.g. many identical errors) would make the inverse mapping ambiguous;
    nudge each repeat to the next representable double so interpolation is well defined."""
    out = np.maximum.accumulate(np.asarray(values, dtype=np.float64))
    for i in range(1, len(out)):
        if out[i] <= out[i - 1]:
            out[i] = np.nextafter(out[i - 1], np.inf)
    return out


def calibrate(errors: np.ndarray, rule: ThresholdRule = ThresholdRule()) -> Calibration:
    errors = np.asarray(errors, dtype=np.float64)
    errors = errors[np.isfinite(errors)]
    if errors.size == 0:
        raise ValueError("calibration needs at least one finite error")
    quantiles = strictly_increasing(np.quantile(errors, LEVELS))
    tail, median = np.quantile(errors, [rule.quantile, 0.5])
    threshold = float(tail + rule.margin * (tail - median))
    return Calibration(LEVELS.copy(), quantiles, threshold, rule, int(errors.size))


def score(errors: np.ndarray, levels: np.ndarray, quantiles: np.ndarray) -> np.ndarray:
    return np.clip(np.interp(errors, quantiles, levels, left=0.0, right=1.0), 0.0, 1.0)
