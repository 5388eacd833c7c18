"""CSV files: a header with a timestamp column and signal columns, or headerless numbers.

Headerless files (like the SMD benchmark) have no timestamps, so the step must be given.
Rows with timestamps are placed on a regular grid; absent rows become NaN, which the gap
handling later interpolates or drops.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DataError
from .frame import SignalFrame
from .timeparse import parse_timestamp

TIMESTAMP_NAMES = ("timestamp", "time", "ts", "datetime", "date")
_MISSING_TOKENS = {"", "nan", "na", "null", "none"}


@dataclass(frozen=True)
class CsvOptions:
    entity: str | None = None
    timestamp_column: str | None = None
    step_seconds: float | None = None
    expected_columns: int | None = None


def _open_text(path: Path):
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, "r", encoding="utf-8", newline="")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return text.strip().lower() in _MISSING_TOKENS
    return True


def _parse_value(text: str, label: str, line: int, column: str) -> float:
    stripped = text.strip()
    if stripped.lower() in _MISSING_TOKENS:
        return math.nan
    try:
        value = float(stripped)
    except ValueError:
        raise DataError(label, f"line {line}, column {column!r}: cannot parse {stripped!r} as a number")
    # Infinite samples carry no usable level; treat them as missing.
    return value if math.isfinite(value) else math.nan


def _entity_from_path(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".csv"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_csv(path: str | Path, options: CsvOptions = CsvOptions()) -> SignalFrame:
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise DataError(label, "file does not exist")
    try:
        with _open_text(path) as handle:
            rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(label, f"cannot read file ({exc})") from exc
    if not rows:
        raise DataError(label, "file is empty")

    has_header = not all(_is_number(cell) for cell in rows[0])
    header = [cell.strip() for cell in rows[0]] if has_header else None
    body = rows[1:] if has_header else rows
    first_line = 2 if has_header else 1
    if not body:
        raise DataError(label, "file has a header but no data rows")

    width = len(header) if header else len(body[0])
    for offset, row in enumerate(body):
        if len(row) != width:
            raise DataError(
                label, f"line {first_line + offset} has {len(row)} columns, expected {width}"
            )

    ts_index = _timestamp_index(header, options.timestamp_column, label)
    signal_idx = [i for i in range(width) if i != ts_index]
    if header:
        names = [header[i] for i in signal_idx]
    else:
        # 1-based like the SMD interpretation labels, so "col_3" is metric 3 there.
        names = [f"col_{i + 1}" for i in signal_idx]
    if len(set(names)) != len(names):
        raise DataError(label, f"duplicate column names in header {names}")
    if options.expected_columns is not None and len(names) != options.expected_columns:
        raise DataError(
            label, f"has {len(names)} signal columns, expected {options.expected_columns}"
        )
    if not names:
        raise DataError(label, "no signal columns besides the timestamp")

    values = np.empty((len(body), len(names)), dtype=np.float64)
    for r, row in enumerate(body):
        for c, i in enumerate(signal_idx):
            values[r, c] = _parse_value(row[i], label, first_line + r, names[c])

    for c, name in enumerate(names):
        if np.isnan(values[:, c]).all():
            raise DataError(label, f"column {name!r} has no numeric values (all NaN or empty)")

    source = {"type": "csv", "name": path.name, "sha256": file_sha256(path), "rows": len(body)}
    entity = options.entity or _entity_from_path(path)
    if ts_index is None:
        if options.step_seconds is None:
            raise DataError(label, "has no timestamp column; pass the step in seconds")
        return SignalFrame(entity, tuple(names), values, float(options.step_seconds), None, source)

    stamps = []
    for r, row in enumerate(body):
        try:
            stamps.append(parse_timestamp(row[ts_index]))
        except ValueError as exc:
            raise DataError(label, f"line {first_line + r}: {exc}") from exc
    return _regularise(label, np.asarray(stamps), values, names, entity, options.step_seconds, source)


def _timestamp_index(header: list[str] | None, requested: str | None, label: str) -> int | None:
    if header is None:
        if requested:
            raise DataError(label, f"timestamp column {requested!r} requested but file has no header")
        return None
    lowered = [h.lower() for h in header]
    if requested:
        if requested.lower() not in lowered:
            raise DataError(label, f"timestamp column {requested!r} not in header {header}")
        return lowered.index(requested.lower())
    for name in TIMESTAMP_NAMES:
        if name in lowered:
            return lowered.index(name)
    return None


def _regularise(label, stamps, values, names, entity, step, source) -> SignalFrame:
    order = np.argsort(stamps, kind="stable")
    stamps, values = stamps[order], values[order]
    if len(stamps) > 1 and np.any(np.diff(stamps) == 0):
        raise DataError(label, "duplicate timestamps")
    if step is None:
        if len(stamps) < 2:
            raise DataError(label, "cannot infer the step from a single row; pass the step in seconds")
        # The median spacing is the nominal step even when some rows are missing.
        step = float(np.median(np.diff(stamps)))
    start = float(stamps[0])
    index = np.rint((stamps - start) / step).astype(np.int64)
    if len(index) > 1 and np.any(np.diff(index) == 0):
        raise DataError(label, f"several rows fall on the same {step:g}s step")
    grid = np.full((int(index[-1]) + 1, len(names)), np.nan)
    grid[index] = values
    return SignalFrame(entity, tuple(names), grid, float(step), start, source)
