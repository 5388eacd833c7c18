"""Train each architecture on the same cases and measure quality and inference cost.

Quality uses the test labels only for reporting: thresholds for `f1_at_threshold` come from
the calibration rule (training data alone); best F1 and AUC-PR are threshold-free rankings.
"""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import onnx

from ..export.onnx_export import INPUT_NAME, OUTPUT_NAME, export_onnx
from ..export.onnx_reference import evaluate
from ..models import count_parameters
from ..models.registry import resolve_kind, short_name
from ..pipeline import TrainOptions, train
from ..preprocessing.dataset import windows_for_scoring
from ..scoring import reconstruct
from .cases import Case
from .metrics import average_precision, best_f1, point_scores, precision_recall_f1_at
from .timing import ms_per_1000_windows

log = logging.getLogger(__name__)

ONNX_CHECK_WINDOWS = 8


@dataclass(frozen=True)
class CompareOptions:
    archs: tuple[str, ...] = ("conv", "dense", "lstm")
    train: TrainOptions = TrainOptions()


def _onnx_cost(trained, workdir: Path, sample: np.ndarray) -> tuple[int, float]:
    """ONNX size, and the largest difference between the exported graph and torch."""
    path = workdir / f"{trained.spec.kind}.onnx"
    info = export_onnx(trained.model, trained.spec.signals, trained.spec.window, path)
    graph = onnx.load(str(path))
    onnx_out = evaluate(graph, {INPUT_NAME: sample})[OUTPUT_NAME]
    return info.size_bytes, float(np.abs(onnx_out - reconstruct(trained.model, sample)).max())


def run_case(case: Case, arch: str, options: CompareOptions, workdir: Path) -> dict:
    began = time.perf_counter()
    trained = train([case.train], replace(options.train, arch=arch))
    train_seconds = time.perf_counter() - began
    windows, ends = windows_for_scoring(case.test, trained.data.normalisation, options.train.windows)
    errors = trained.error.model_errors(trained.model, windows)
    scores = point_scores(errors, ends, case.test.rows)
    size, onnx_diff = _onnx_cost(trained, workdir, windows[:ONNX_CHECK_WINDOWS])
    precision, recall, f1 = precision_recall_f1_at(scores, case.labels, trained.calibration.threshold)
    row = {
        "case": case.name,
        "arch": short_name(resolve_kind(arch)),
        "parameters": count_parameters(trained.model),
        "onnx_bytes": size,
        "onnx_max_abs_diff": onnx_diff,
        "ms_per_1000_windows": ms_per_1000_windows(trained.model, windows),
        "epochs_run": trained.history.epochs_run,
        "best_epoch": trained.history.best_epoch,
        "train_seconds": train_seconds,
        "best_f1": best_f1(scores, case.labels),
        "auc_pr": average_precision(scores, case.labels),
        "f1_at_threshold": f1,
        "precision_at_threshold": precision,
        "recall_at_threshold": recall,
        "threshold": trained.calibration.threshold,
    }
    log.info("%s %s: best F1 %.3f, AUC-PR %.3f, F1@threshold %.3f (%.1fs)", case.name, row["arch"],
             row["best_f1"], row["auc_pr"], row["f1_at_threshold"], train_seconds)
    return row


def compare(cases: list[Case], options: CompareOptions) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="seismo-compare-") as tmp:
        for case in cases:
            for arch in options.archs:
                rows.append(run_case(case, arch, options, Path(tmp)))
    return rows


_MEAN_KEYS = ("best_f1", "auc_pr", "f1_at_threshold", "precision_at_threshold", "recall_at_threshold",
              "ms_per_1000_windows", "train_seconds", "epochs_run")


def summarise(rows: list[dict]) -> list[dict]:
    """Mean over cases per architecture (cost columns are per-architecture constants)."""
    summary = []
    for arch in dict.fromkeys(r["arch"] for r in rows):
        mine = [r for r in rows if r["arch"] == arch]
        entry = {"case": "mean", "arch": arch, "parameters": mine[0]["parameters"],
                 "onnx_bytes": mine[0]["onnx_bytes"],
                 "onnx_max_abs_diff": max(r["onnx_max_abs_diff"] for r in mine)}
        entry.update({k: float(np.mean([r[k] for r in mine])) for k in _MEAN_KEYS})
        summary.append(entry)
    return summary


def markdown_table(rows: list[dict]) -> str:
    header = ("| case | arch | params | ONNX KiB | ms / 1,000 windows | epochs | train s | "
              "best F1 | AUC-PR | F1 (P / R) @ training threshold |")
    lines = [header, "|" + "---|" * 10]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['arch']} | {r['parameters']:,} | {r['onnx_bytes'] / 1024:.0f} | "
            f"{r['ms_per_1000_windows']:.0f} | {r['epochs_run']:.0f} | {r['train_seconds']:.0f} | "
            f"{r['best_f1']:.3f} | {r['auc_pr']:.3f} | {r['f1_at_threshold']:.3f} "
            f"({r['precision_at_threshold']:.2f} / {r['recall_at_threshold']:.2f}) |"
        )
    return "\n".join(lines)
