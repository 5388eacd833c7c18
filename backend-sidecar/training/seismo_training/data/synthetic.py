"""Deterministic synthetic service telemetry for the golden model and tests."""

from __future__ import annotations

import numpy as np

from .frame import SignalFrame

SIGNALS = ("latency_p95", "request_rate", "error_ratio")
# Names, units and scale floors as in the sidecar's canonical signal catalogue.
UNITS = {"latency_p95": "seconds", "request_rate": "requests/second", "error_ratio": "ratio (0-1)"}
SCALE_FLOORS = (("latency_p95", 0.001), ("request_rate", 0.01), ("error_ratio", 0.001))
START = 1_700_000_000.0  # fixed so files generated from it do not change between runs


def service_frame(entity: str, rows: int, seed: int, *, level: float = 1.0,
                  step_seconds: float = 60.0) -> SignalFrame:
    """Daily-shaped load, latency following load, small error ratio, with noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(rows)
    day = 86400.0 / step_seconds
    load = level * (100 + 40 * np.sin(2 * np.pi * t / day) + 10 * np.sin(2 * np.pi * t / 37))
    rate = load + rng.normal(0, 3, rows)
    latency = 0.05 + 0.0004 * load + rng.normal(0, 0.003, rows)
    errors = np.clip(0.002 + rng.normal(0, 0.0005, rows), 0, None)
    values = np.stack([latency, rate, errors], axis=1)
    return SignalFrame(entity, SIGNALS, values, step_seconds, START,
                       {"type": "synthetic", "name": f"synthetic:{entity}", "seed": seed})


# The sidecar's twelve canonical service signals, in its catalogue order, with the catalogue's
# units and scale floors, so a model trained here fits the sidecar's windows unchanged.
MESH_SIGNALS = ("request_rate", "error_ratio", "latency_p50", "latency_p95", "latency_p99",
                "outbound_request_rate", "outbound_error_ratio", "outbound_latency_p95",
                "cpu_usage", "memory_working_set", "network_receive_rate", "network_transmit_rate")
MESH_UNITS = {"request_rate": "requests/second", "error_ratio": "ratio (0-1)", "latency_p50": "seconds",
              "latency_p95": "seconds", "latency_p99": "seconds", "outbound_request_rate": "requests/second",
              "outbound_error_ratio": "ratio (0-1)", "outbound_latency_p95": "seconds", "cpu_usage": "cores",
              "memory_working_set": "bytes", "network_receive_rate": "bytes/second",
              "network_transmit_rate": "bytes/second"}
MESH_SCALE_FLOORS = (("request_rate", 0.01), ("error_ratio", 0.001), ("latency_p50", 0.001),
                     ("latency_p95", 0.001), ("latency_p99", 0.001), ("outbound_request_rate", 0.01),
                     ("outbound_error_ratio", 0.001), ("outbound_latency_p95", 0.001), ("cpu_usage", 0.001),
                     ("memory_working_set", 1024.0 * 1024.0), ("network_receive_rate", 100.0),
                     ("network_transmit_rate", 100.0))
MESH_NOTE = ("synthetic service-mesh telemetry (daily load cycles from flat to strong, latency and resources "
             "following load, small error ratios); a stand-in until a model is trained on real mesh data")
# Period of the faster load wobble, in seconds, so the data looks the same at any step.
WOBBLE_SECONDS = 2460.0


def mesh_service_frame(entity: str, rows: int, seed: int, *, step_seconds: float = 60.0) -> SignalFrame:
    """One service of a synthetic mesh: every canonical signal, driven by one load curve.

    Each service draws its own traffic level, fan-out to dependencies, resource footprint and
    daily swing from the seed, so a model trained on several services has seen a range of
    scales, and services whose spread is mostly the daily cycle as well as services with flat
    traffic whose spread is mostly short-term noise (normalised by their own median and MAD,
    the two look very different, and a model that saw only one flags the other).
    """
    rng = np.random.default_rng(seed)
    t = np.arange(rows)
    day = 86400.0 / step_seconds
    level = rng.uniform(0.3, 3.0)
    fanout = rng.uniform(0.0, 2.5)
    phase = rng.uniform(0, 2 * np.pi)
    swing = rng.uniform(0.0, 0.4)
    wobble = np.sin(2 * np.pi * t * step_seconds / WOBBLE_SECONDS)
    load = level * (100 + 100 * swing * np.sin(2 * np.pi * t / day + phase) + 8 * swing * wobble)
    rate = np.clip(load * (1 + rng.normal(0, 0.03, rows)), 0, None)
    errors = np.clip(0.002 + rng.normal(0, 0.0006, rows), 0, 1)
    base_latency = rng.uniform(0.01, 0.06)
    p50 = base_latency * (1 + 0.002 * load / level) * (1 + rng.normal(0, 0.03, rows))
    p95 = p50 * 2.4 * (1 + rng.normal(0, 0.04, rows))
    p99 = p95 * 1.5 * (1 + rng.normal(0, 0.05, rows))
    out_rate = np.clip(fanout * rate * (1 + rng.normal(0, 0.03, rows)), 0, None)
    out_errors = np.clip(0.003 + rng.normal(0, 0.0008, rows), 0, 1)
    out_latency = (0.5 * base_latency + 0.0001 * load / level) * (1 + rng.normal(0, 0.05, rows))
    cpu = (0.05 + 0.003 * rate) * (1 + rng.normal(0, 0.04, rows))
    memory = rng.uniform(1.5e8, 1.2e9) * (1 + 0.05 * np.sin(2 * np.pi * t / day + phase)) \
        * (1 + rng.normal(0, 0.005, rows))
    receive = rate * rng.uniform(800, 3000) * (1 + rng.normal(0, 0.04, rows))
    transmit = rate * rng.uniform(2000, 20000) * (1 + rng.normal(0, 0.04, rows))
    values = np.stack([rate, errors, p50, p95, p99, out_rate, out_errors, out_latency, cpu, memory,
                       receive, transmit], axis=1)
    return SignalFrame(entity, MESH_SIGNALS, values, step_seconds, START,
                       {"type": "synthetic", "name": f"synthetic-mesh:{entity}", "seed": seed,
                        "note": MESH_NOTE})


def mesh_frames(services: int, days: float, seed: int = 0, step_seconds: float = 60.0) -> list[SignalFrame]:
    rows = int(round(days * 86400 / step_seconds))
    return [mesh_service_frame(f"synthetic-{i + 1:02d}", rows, seed * 1000 + i, step_seconds=step_seconds)
            for i in range(services)]
