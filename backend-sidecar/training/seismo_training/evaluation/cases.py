"""Labelled evaluation cases: a training frame, a test frame and per-row test labels."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..data.csv_source import CsvOptions, load_csv
from ..data.frame import SignalFrame
from ..errors import DataError

SMD_STEP_SECONDS = 60.0
SMD_COLUMNS = 38


@dataclass(frozen=True)
class Case:
    name: str
    train: SignalFrame
    test: SignalFrame
    labels: np.ndarray


def load_labels(path: Path, rows: int) -> np.ndarray:
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt") as handle:
            labels = np.array([float(line) for line in handle if line.strip()])
    except (OSError, ValueError) as exc:
        raise DataError(str(path), f"cannot read 0/1 labels ({exc})") from exc
    if len(labels) != rows:
        raise DataError(str(path), f"has {len(labels)} labels for {rows} test rows")
    if not np.isin(labels, (0, 1)).all():
        raise DataError(str(path), "labels must be 0 or 1")
    return labels.astype(np.int8)


def load_case(name: str, train: Path, test: Path, labels: Path, step_seconds: float | None,
              expected_columns: int | None = None) -> Case:
    options = CsvOptions(entity=name, step_seconds=step_seconds, expected_columns=expected_columns)
    train_frame = load_csv(train, options)
    test_frame = load_csv(test, options)
    if test_frame.signals != train_frame.signals:
        raise DataError(str(test), "test columns differ from training columns")
    return Case(name, train_frame, test_frame, load_labels(labels, test_frame.rows))


def smd_cases(directory: Path, machines: list[str]) -> list[Case]:
    """SMD layout: <machine>_train.csv.gz, <machine>_test.csv.gz, <machine>_test_label.csv.gz."""
    directory = Path(directory)
    return [
        load_case(m, directory / f"{m}_train.csv.gz", directory / f"{m}_test.csv.gz",
                  directory / f"{m}_test_label.csv.gz", SMD_STEP_SECONDS, SMD_COLUMNS)
        for m in machines
    ]
