"""The in-memory shape every data source produces."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import DataError


@dataclass(frozen=True)
class SignalFrame:
    """Regularly sampled signals of one entity (service, machine).

    values has shape [rows, signals]; NaN marks a missing sample. Rows are on a regular grid
    of step_seconds starting at start (unix seconds) or, when the source had no timestamps,
    start is None and only the row order is known.
    """

    entity: str
    signals: tuple[str, ...]
    values: np.ndarray
    step_seconds: float
    start: float | None = None
    source: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.values.ndim != 2 or self.values.shape[1] != len(self.signals):
            raise ValueError(
                f"values shape {self.values.shape} does not match {len(self.signals)} signals"
            )

    @property
    def rows(self) -> int:
        return int(self.values.shape[0])

    @property
    def end(self) -> float | None:
        if self.start is None or self.rows == 0:
            return None
        return self.start + (self.rows - 1) * self.step_seconds

    def with_values(self, values: np.ndarray) -> "SignalFrame":
        return SignalFrame(self.entity, self.signals, values, self.step_seconds, self.start, self.source)

    def select(self, signals: tuple[str, ...] | list[str]) -> "SignalFrame":
        """Reorder/select columns by name so a frame matches a model's signal order."""
        missing = [s for s in signals if s not in self.signals]
        if missing:
            label = self.source.get("name", self.entity)
            raise DataError(label, f"missing signals {missing}; it has {list(self.signals)}")
        idx = [self.signals.index(s) for s in signals]
        return SignalFrame(
            self.entity, tuple(signals), self.values[:, idx], self.step_seconds, self.start, self.source
        )
