"""Per-entity robust baseline statistics.

Each signal of each entity is centred on its training median and divided by a robust
scale, so a level shift after training stays visible as a large normalised value. Min-max
per window would rescale every window to [0, 1] and erase exactly that shift.

Scale rule (first one above the floor wins): 1.4826 * MAD, then IQR / 1.349, then the
standard deviation; finally max(scale, absolute_floor, relative_floor * |median|) so a
signal that was constant in training never divides by zero. The absolute floor is in the
signal's unit, so signals can override it (e.g. bytes need a far larger floor than seconds);
the sidecar's signal catalogue carries the same per-signal floors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Factors that make MAD and IQR estimate the standard deviation of a normal distribution.
MAD_TO_SIGMA = 1.4826
IQR_TO_SIGMA = 1.349


@dataclass(frozen=True)
class NormalisationOptions:
    absolute_floor: float = 1e-3
    relative_floor: float = 1e-2
    # Normalised values are clipped so one broken signal cannot swamp the whole error.
    clip: float | None = 10.0
    # (signal, absolute floor) pairs overriding absolute_floor; a tuple keeps options immutable.
    signal_floors: tuple[tuple[str, float], ...] = ()

    def floor_for(self, signal: str) -> float:
        return dict(self.signal_floors).get(signal, self.absolute_floor)


@dataclass(frozen=True)
class SignalStats:
    center: float
    scale: float

    def to_json(self) -> dict:
        return {"center": float(self.center), "scale": float(self.scale)}


def robust_stats(column: np.ndarray, options: NormalisationOptions, absolute_floor: float | None = None) -> SignalStats:
    data = column[~np.isnan(column)]
    if data.size == 0:
        raise ValueError("cannot compute statistics of a signal without samples")
    center = float(np.median(data))
    absolute = options.absolute_floor if absolute_floor is None else absolute_floor
    floor = max(absolute, options.relative_floor * abs(center))
    scale = MAD_TO_SIGMA * float(np.median(np.abs(data - center)))
    if scale <= floor:
        q1, q3 = np.percentile(data, [25, 75])
        scale = float(q3 - q1) / IQR_TO_SIGMA
    if scale <= floor:
        scale = float(np.std(data))
    return SignalStats(center, max(scale, floor))


def fit_entity(values: np.ndarray, signals: tuple[str, ...],
               options: NormalisationOptions) -> dict[str, SignalStats]:
    return {name: robust_stats(values[:, i], options, options.floor_for(name)) for i, name in enumerate(signals)}


def apply(values: np.ndarray, signals: tuple[str, ...], stats: dict[str, SignalStats],
          clip: float | None) -> np.ndarray:
    """Normalise [rows, signals]; NaN stays NaN."""
    center = np.array([stats[s].center for s in signals])
    scale = np.array([stats[s].scale for s in signals])
    out = (values - center) / scale
    if clip is not None:
        out = np.clip(out, -clip, clip)
    return out


@dataclass(frozen=True)
class Normalisation:
    """Statistics for every training entity plus a pooled default for unseen entities."""

    signals: tuple[str, ...]
    per_entity: dict[str, dict[str, SignalStats]]
    default: dict[str, SignalStats]
    options: NormalisationOptions

    def stats_for(self, entity: str) -> dict[str, SignalStats]:
        return self.per_entity.get(entity, self.default)

    def transform(self, entity: str, values: np.ndarray) -> np.ndarray:
        return apply(values, self.signals, self.stats_for(entity), self.options.clip)

    def to_manifest(self) -> dict:
        return {
            "method": "robust_median_mad",
            "formula": "clip((x - center) / scale, -clip, clip)",
            "clip": self.options.clip,
            "absolute_floor": self.options.absolute_floor,
            "relative_floor": self.options.relative_floor,
            "signal_floors": {s: f for s, f in self.options.signal_floors},
            "per_entity": {
                entity: {s: stats[s].to_json() for s in self.signals}
                for entity, stats in sorted(self.per_entity.items())
            },
            "default": {s: self.default[s].to_json() for s in self.signals},
        }

    @staticmethod
    def from_manifest(section: dict, signals: tuple[str, ...]) -> "Normalisation":
        def parse(block: dict) -> dict[str, SignalStats]:
            return {s: SignalStats(block[s]["center"], block[s]["scale"]) for s in signals}

        options = NormalisationOptions(section["absolute_floor"], section["relative_floor"], section["clip"],
                                       tuple(section.get("signal_floors", {}).items()))
        return Normalisation(
            signals,
            {e: parse(b) for e, b in section["per_entity"].items()},
            parse(section["default"]),
            options,
        )


def fit(training_values: dict[str, np.ndarray], signals: tuple[str, ...],
        options: NormalisationOptions) -> Normalisation:
    """training_values: entity -> [rows, signals] from the training period only."""
    per_entity = {e: fit_entity(v, signals, options) for e, v in training_values.items()}
    pooled = np.concatenate(list(training_values.values()), axis=0)
    return Normalisation(signals, per_entity, fit_entity(pooled, signals, options), options)
