"""Time-ordered split of the training period into fit / validation / calibration parts.

Taken from the end, in time order, and windowed separately so no window straddles two
parts: validation decides early stopping, calibration measures the error distribution the
model has never been optimised or selected on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SplitFractions:
    validation: float = 0.15
    calibration: float = 0.15

    def __post_init__(self) -> None:
        if not (0 < self.validation < 1 and 0 < self.calibration < 1):
            raise ValueError("validation and calibration fractions must be in (0, 1)")
        if self.validation + self.calibration >= 0.9:
            raise ValueError("validation + calibration must leave at least 10% for fitting")


@dataclass(frozen=True)
class RowSplit:
    fit: slice
    validation: slice
    calibration: slice


def split_rows(rows: int, fractions: SplitFractions) -> RowSplit:
    calibration = int(round(rows * fractions.calibration))
    validation = int(round(rows * fractions.validation))
    fit_end = rows - validation - calibration
    return RowSplit(slice(0, fit_end), slice(fit_end, fit_end + validation),
                    slice(fit_end + validation, rows))
