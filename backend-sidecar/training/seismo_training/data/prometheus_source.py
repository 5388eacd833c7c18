"""Turn per-signal query_range results into one SignalFrame per entity.

Each signal is one PromQL query returning one series per entity (e.g. `sum by (service)`),
which keeps the cost proportional to signals rather than services x signals.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DataError
from .frame import SignalFrame
from .prometheus_chunks import DEFAULT_MAX_POINTS, fetch_range
from .prometheus_client import PrometheusClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrometheusRequest:
    base_url: str
    queries: tuple[tuple[str, str], ...]  # (signal name, PromQL) in model order
    start: float
    end: float
    step: float
    entity_label: str = "service"
    default_entity: str = "unlabelled"  # for a series without the entity label
    max_points: int = DEFAULT_MAX_POINTS


def parse_query_args(items: list[str]) -> tuple[tuple[str, str], ...]:
    """'signal=PROMQL' strings -> ordered pairs. Splits on the first '=' only."""
    pairs = []
    for item in items:
        name, sep, promql = item.partition("=")
        if not sep or not name.strip() or not promql.strip():
            raise DataError("--query", f"expected 'signal=PROMQL', got {item!r}")
        pairs.append((name.strip(), promql.strip()))
    names = [n for n, _ in pairs]
    if len(set(names)) != len(names):
        raise DataError("--query", f"duplicate signal names {names}")
    return tuple(pairs)


def _sample(text) -> float:
    value = float(text)
    return value if math.isfinite(value) else math.nan


def load_prometheus(request: PrometheusRequest, client: PrometheusClient,
                    cache_root: Path) -> list[SignalFrame]:
    rows = int((request.end - request.start) // request.step) + 1
    signals = tuple(name for name, _ in request.queries)
    per_entity: dict[str, np.ndarray] = {}
    for column, (name, promql) in enumerate(request.queries):
        series_list = fetch_range(client, promql, request.start, request.end, request.step,
                                  cache_root, request.max_points)
        seen = set()
        for series in series_list:
            metric = series.get("metric", {})
            entity = metric.get(request.entity_label, request.default_entity)
            if entity in seen:
                raise DataError(
                    f"query {name!r}",
                    f"returns several series for {request.entity_label}={entity!r}; aggregate "
                    f"by {request.entity_label} (labels: {json.dumps(metric, sort_keys=True)})",
                )
            seen.add(entity)
            grid = per_entity.setdefault(entity, np.full((rows, len(signals)), np.nan))
            for ts, text in series.get("values", []):
                index = int(round((float(ts) - request.start) / request.step))
                if 0 <= index < rows:
                    grid[index, column] = _sample(text)
    if not per_entity:
        raise DataError(request.base_url, "queries returned no series in the requested range")
    frames = []
    for entity in sorted(per_entity):
        values = per_entity[entity]
        empty = [signals[c] for c in range(len(signals)) if np.isnan(values[:, c]).all()]
        if empty:
            # One service lacking a signal (e.g. no outbound calls) must not block the others.
            log.warning("skipping entity %r: no samples for signals %s", entity, empty)
            continue
        source = {"type": "prometheus", "name": request.base_url,
                  "queries": {n: q for n, q in request.queries},
                  "entity_label": request.entity_label, "rows": rows}
        frames.append(SignalFrame(entity, signals, values, float(request.step), float(request.start), source))
    if not frames:
        raise DataError(request.base_url, "no entity has samples for every signal")
    return frames
