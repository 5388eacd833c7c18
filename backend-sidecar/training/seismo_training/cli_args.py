"""Argument groups shared by several commands, and their conversion into option objects."""

from __future__ import annotations

import argparse
import json
import re

from .data.prometheus_chunks import DEFAULT_MAX_POINTS, PROMETHEUS_MAX_POINTS

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


def duration_seconds(text: str) -> float:
    """'60', '30s', '1m', '1h' -> seconds (Prometheus-style durations)."""
    match = _DURATION.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 60, 30s, 1m)")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def add_data_args(parser: argparse.ArgumentParser) -> None:
    csv = parser.add_argument_group("CSV data")
    csv.add_argument("--data", action="append", default=[], metavar="[ENTITY=]PATH",
                     help="CSV or CSV.gz file, one entity per file (entity defaults to the file name); repeatable")
    csv.add_argument("--timestamp-column", help="name of the timestamp column (default: auto-detect)")
    csv.add_argument("--step-seconds", type=duration_seconds,
                     help="sample step; required for files without timestamps (SMD: 60)")
    prom = parser.add_argument_group("Prometheus data")
    prom.add_argument("--prometheus", metavar="URL", help="Prometheus base URL")
    prom.add_argument("--query", action="append", default=[], metavar="SIGNAL=PROMQL",
                      help="one query per signal, returning one series per entity; repeatable, in model order")
    prom.add_argument("--start", help="range start: RFC 3339 or unix seconds")
    prom.add_argument("--end", help="range end: RFC 3339 or unix seconds")
    prom.add_argument("--step", type=duration_seconds, help="query_range step, e.g. 60 or 1m")
    prom.add_argument("--entity-label", default="service", help="label naming the entity (default: service)")
    prom.add_argument("--cache-dir", default=".prometheus-cache",
                      help="where fetched chunks are kept so an interrupted fetch resumes")
    prom.add_argument("--max-points", type=int, default=DEFAULT_MAX_POINTS,
                      help=f"samples per series per request (Prometheus allows {PROMETHEUS_MAX_POINTS})")
    prom.add_argument("--timeout", type=float, default=30.0, help="seconds per HTTP request")
    prom.add_argument("--retries", type=int, default=3, help="retries for transient failures")
    prom.add_argument("--backoff", type=float, default=1.0, help="first retry delay in seconds (doubles)")
    synth = parser.add_argument_group("synthetic data (until real telemetry is available)")
    synth.add_argument("--synthetic-mesh", type=int, metavar="SERVICES",
                       help="generate this many services with the sidecar's 12 canonical signals "
                            "(units and scale floors of its signal catalogue)")
    synth.add_argument("--synthetic-days", type=float, default=3.0, help="days of history per service")
    synth.add_argument("--synthetic-seed", type=int, default=0)
    parser.add_argument("--unit", action="append", default=[], metavar="SIGNAL=UNIT",
                        help="unit of a signal (base units: seconds, bytes, '1'); '*=UNIT' for all")


def add_model_args(parser: argparse.ArgumentParser, *, stride: int = 1, epochs: int = 30,
                   error: str = "scaled") -> None:
    group = parser.add_argument_group("model and training")
    group.add_argument("--arch", default="conv", choices=["conv", "dense", "lstm"])
    group.add_argument("--hyperparameters", type=json.loads, default={},
                       help='JSON object overriding architecture defaults, e.g. \'{"hidden": [32, 16]}\'')
    group.add_argument("--window", type=int, default=32, help="steps per window")
    group.add_argument("--stride", type=int, default=stride, help="steps between training windows")
    group.add_argument("--max-gap", type=int, default=5, help="longest gap (steps) that is interpolated")
    group.add_argument("--epochs", type=int, default=epochs)
    group.add_argument("--patience", type=int, default=4)
    group.add_argument("--batch-size", type=int, default=128)
    group.add_argument("--lr", type=float, default=1e-3)
    group.add_argument("--seed", type=int, default=0)
    group.add_argument("--val-fraction", type=float, default=0.15)
    group.add_argument("--calib-fraction", type=float, default=0.15)
    group.add_argument("--clip", type=float, default=10.0, help="clip normalised values to +-CLIP (0: off)")
    group.add_argument("--scale-floor", type=float, default=1e-3, help="absolute floor of a signal's scale")
    group.add_argument("--scale-floor-for", action="append", default=[], metavar="SIGNAL=FLOOR",
                       help="absolute scale floor of one signal in its unit (e.g. memory_working_set=1048576)")
    group.add_argument("--relative-floor", type=float, default=1e-2,
                       help="floor of a signal's scale relative to |median|")
    group.add_argument("--threshold-quantile", type=float, default=0.995)
    group.add_argument("--threshold-margin", type=float, default=1.0)
    group.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    group.add_argument("--error", choices=["scaled", "squared"], default=error,
                       help="raw error: mean |residual| over the newest steps scaled per signal by its "
                            "held-out typical residual (scaled), or the mean squared residual over the "
                            f"whole window (squared); default {error}")
    group.add_argument("--error-steps", type=int,
                       help="newest steps the scaled error is taken over (default: a quarter of the window)")


def train_options(args: argparse.Namespace):
    # Imported here: these pull in torch, which `--help` should not wait for.
    from .calibration import ThresholdRule
    from .fit import FitOptions
    from .pipeline import TrainOptions
    from .preprocessing.dataset import WindowOptions
    from .preprocessing.normalisation import NormalisationOptions
    from .preprocessing.splits import SplitFractions
    from .scoring import ErrorOptions

    return TrainOptions(
        arch=args.arch,
        hyperparameters=args.hyperparameters,
        windows=WindowOptions(args.window, args.stride, args.max_gap),
        fractions=SplitFractions(args.val_fraction, args.calib_fraction),
        normalisation=NormalisationOptions(args.scale_floor, args.relative_floor, args.clip or None,
                                           _floors(args)),
        fit=FitOptions(epochs=args.epochs, patience=args.patience, batch_size=args.batch_size,
                       learning_rate=args.lr),
        threshold=ThresholdRule(args.threshold_quantile, args.threshold_margin),
        seed=args.seed,
        error=ErrorOptions(getattr(args, "error", "squared"), getattr(args, "error_steps", None)),
    )


def _floors(args: argparse.Namespace) -> tuple[tuple[str, float], ...]:
    floors = parse_floors(args.scale_floor_for)
    if getattr(args, "synthetic_mesh", None):
        from .data.synthetic import MESH_SCALE_FLOORS

        given = {name for name, _ in floors}
        floors = tuple(f for f in MESH_SCALE_FLOORS if f[0] not in given) + floors
    return floors


def parse_floors(items: list[str]) -> tuple[tuple[str, float], ...]:
    floors = []
    for item in items:
        name, sep, value = item.partition("=")
        try:
            floor = float(value)
        except ValueError:
            floor = -1.0
        if not sep or not name or not floor > 0:
            raise argparse.ArgumentTypeError(f"--scale-floor-for expects SIGNAL=POSITIVE_NUMBER, got {item!r}")
        floors.append((name, floor))
    return tuple(floors)


def parse_units(items: list[str], signals: tuple[str, ...]) -> dict[str, str]:
    units: dict[str, str] = {}
    for item in items:
        name, sep, unit = item.partition("=")
        if not sep or not unit:
            raise argparse.ArgumentTypeError(f"--unit expects SIGNAL=UNIT, got {item!r}")
        if name == "*":
            units.update({s: unit for s in signals if s not in units})
        elif name not in signals:
            raise argparse.ArgumentTypeError(f"--unit names unknown signal {name!r}")
        else:
            units[name] = unit
    return units
