"""Pick the data source from command-line arguments and load frames."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import DataError
from .csv_source import CsvOptions, load_csv
from .frame import SignalFrame
from .prometheus_client import ClientOptions, PrometheusClient
from .prometheus_source import PrometheusRequest, load_prometheus, parse_query_args
from .timeparse import parse_timestamp


def _csv_item(item: str) -> tuple[str | None, Path]:
    entity, sep, path = item.partition("=")
    # A path may itself contain '='; only treat the prefix as an entity if it has no separator.
    if sep and "/" not in entity and entity:
        return entity, Path(path)
    return None, Path(item)


def load_frames(args: argparse.Namespace) -> list[SignalFrame]:
    synthetic_services = getattr(args, "synthetic_mesh", None)
    if sum((bool(args.data), bool(args.prometheus), bool(synthetic_services))) != 1:
        raise DataError("arguments", "give either --data files, --prometheus with --query, or --synthetic-mesh")
    if synthetic_services:
        from . import synthetic

        step = args.step_seconds or 60.0
        return synthetic.mesh_frames(synthetic_services, args.synthetic_days, args.synthetic_seed, step)
    if args.data:
        frames = []
        for item in args.data:
            entity, path = _csv_item(item)
            frames.append(load_csv(path, CsvOptions(entity=entity, timestamp_column=args.timestamp_column,
                                                    step_seconds=args.step_seconds)))
        return frames
    return load_prometheus_frames(args)


def load_prometheus_frames(args: argparse.Namespace) -> list[SignalFrame]:
    missing = [flag for flag, value in (("--query", args.query), ("--start", args.start),
                                        ("--end", args.end), ("--step", args.step)) if not value]
    if missing:
        raise DataError("arguments", f"--prometheus also needs {', '.join(missing)}")
    try:
        start, end = parse_timestamp(args.start), parse_timestamp(args.end)
    except ValueError as exc:
        raise DataError("arguments", str(exc)) from exc
    request = PrometheusRequest(args.prometheus, parse_query_args(args.query), start, end, args.step,
                                args.entity_label, max_points=args.max_points)
    client = PrometheusClient(args.prometheus, ClientOptions(args.timeout, args.retries, args.backoff))
    return load_prometheus(request, client, Path(args.cache_dir))
