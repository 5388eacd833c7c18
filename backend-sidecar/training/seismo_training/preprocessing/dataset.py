"""From raw frames to the three window sets a training run needs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data.frame import SignalFrame
from ..errors import DataError
from . import normalisation as norm
from .gaps import fill_short_gaps
from .splits import SplitFractions, split_rows
from .windows import sliding_windows


RESERVED_ENTITY = "default"


@dataclass(frozen=True)
class WindowOptions:
    window: int = 32
    stride: int = 1
    max_gap: int = 5  # steps; longer gaps drop the windows touching them


@dataclass(frozen=True)
class TrainingSet:
    fit: np.ndarray          # [N, signals, window] float32, normalised
    validation: np.ndarray
    calibration: np.ndarray
    normalisation: norm.Normalisation
    counts: dict             # rows and windows per entity and part, for provenance


def check_frames(frames: list[SignalFrame]) -> tuple[tuple[str, ...], float]:
    if not frames:
        raise DataError("training data", "no input frames")
    signals, step = frames[0].signals, frames[0].step_seconds
    for frame in frames[1:]:
        label = frame.source.get("name", frame.entity)
        if frame.signals != signals:
            raise DataError(label, f"signals {list(frame.signals)} differ from {list(signals)}")
        if frame.step_seconds != step:
            raise DataError(label, f"step {frame.step_seconds}s differs from {step}s")
    entities = [f.entity for f in frames]
    if len(set(entities)) != len(entities):
        raise DataError("training data", f"entity names repeat: {entities}")
    if RESERVED_ENTITY in entities:
        # Baseline files keep the fallback statistics under this key.
        raise DataError("training data", f"entity name {RESERVED_ENTITY!r} is reserved; name it "
                                         "explicitly (ENTITY=PATH for CSV files)")
    return signals, step


def build_training_set(frames: list[SignalFrame], windows: WindowOptions,
                       fractions: SplitFractions,
                       norm_options: norm.NormalisationOptions,
                       fixed_normalisation: norm.Normalisation | None = None) -> TrainingSet:
    """Fill short gaps, split each entity in time, learn statistics on the fit part only
    (so calibration sees data the statistics were not computed on, as in production), then
    window each part separately."""
    signals, _ = check_frames(frames)
    filled = {f.entity: fill_short_gaps(f.values, windows.max_gap) for f in frames}
    splits = {e: split_rows(len(v), fractions) for e, v in filled.items()}
    if fixed_normalisation is None:
        fit_values = {}
        for entity, values in filled.items():
            part = values[splits[entity].fit]
            empty = [s for i, s in enumerate(signals) if np.isnan(part[:, i]).all()]
            if empty:
                raise DataError(f"entity {entity!r}", f"no samples for {empty} in the fit period")
            fit_values[entity] = part
        normalisation = norm.fit(fit_values, signals, norm_options)
    else:
        normalisation = fixed_normalisation

    parts: dict[str, list[np.ndarray]] = {"fit": [], "validation": [], "calibration": []}
    counts: dict = {"entities": {}}
    for entity, values in filled.items():
        scaled = normalisation.transform(entity, values)
        split = splits[entity]
        entry = {"rows": int(len(values))}
        for name in parts:
            part_rows = getattr(split, name)
            win, _ = sliding_windows(scaled[part_rows], windows.window, windows.stride)
            parts[name].append(win)
            entry[f"{name}_windows"] = int(len(win))
        counts["entities"][entity] = entry
    result = {k: _concat(v, len(signals), windows.window) for k, v in parts.items()}
    for name, data in result.items():
        counts[f"{name}_windows"] = int(len(data))
        if len(data) == 0:
            raise DataError(
                "training data",
                f"no complete {name} windows of {windows.window} steps (too little data or too many gaps)",
            )
    counts["rows"] = int(sum(e["rows"] for e in counts["entities"].values()))
    return TrainingSet(result["fit"], result["validation"], result["calibration"], normalisation, counts)


def _concat(chunks: list[np.ndarray], signals: int, window: int) -> np.ndarray:
    if not chunks:
        return np.empty((0, signals, window), dtype=np.float32)
    return np.concatenate(chunks, axis=0)


def windows_for_scoring(frame: SignalFrame, normalisation: norm.Normalisation,
                        windows: WindowOptions) -> tuple[np.ndarray, np.ndarray]:
    """All stride-1 windows of a frame (e.g. a test period), as the sidecar would see them."""
    filled = fill_short_gaps(frame.values, windows.max_gap)
    scaled = normalisation.transform(frame.entity, filled)
    return sliding_windows(scaled, windows.window, 1)


def fit_period_values(frame: SignalFrame, windows: WindowOptions, fractions: SplitFractions) -> np.ndarray:
    """The gap-filled rows whose statistics a training run learns (the fit part)."""
    filled = fill_short_gaps(frame.values, windows.max_gap)
    return filled[split_rows(len(filled), fractions).fit]
