"""Point-wise detection metrics over a score series and 0/1 labels.

best_f1: the highest F1 over every threshold (predict anomalous when score >= threshold);
it uses the labels to pick the threshold, so it measures ranking quality, not a deployable
operating point. average_precision: area under the precision-recall curve as the
step-wise sum of precision x recall increments. f1_at: F1 at a fixed threshold chosen
without labels (score > threshold).
"""

from __future__ import annotations

import numpy as np


def _curve(scores: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Precision and recall at each distinct score, from the highest threshold down."""
    labels = np.asarray(labels).astype(bool)
    positives = labels.sum()
    if positives == 0:
        raise ValueError("labels contain no anomalies")
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
    sorted_scores, sorted_labels = np.asarray(scores)[order], labels[order]
    tp = np.cumsum(sorted_labels)
    predicted = np.arange(1, len(sorted_labels) + 1)
    # Only the last index of each run of equal scores is a reachable threshold.
    last = np.r_[np.flatnonzero(np.diff(sorted_scores) != 0), len(sorted_scores) - 1]
    return tp[last] / predicted[last], tp[last] / positives


def best_f1(scores: np.ndarray, labels: np.ndarray) -> float:
    precision, recall = _curve(scores, labels)
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-300), 0)
    return float(f1.max())


def average_precision(scores: np.ndarray, labels: np.ndarray) -> float:
    precision, recall = _curve(scores, labels)
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def precision_recall_f1_at(scores: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[float, float, float]:
    labels = np.asarray(labels).astype(bool)
    predicted = np.asarray(scores) > threshold
    tp = np.sum(predicted & labels)
    if tp == 0:
        return 0.0, 0.0, 0.0
    precision, recall = tp / predicted.sum(), tp / labels.sum()
    return float(precision), float(recall), float(2 * precision * recall / (precision + recall))


def f1_at(scores: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    return precision_recall_f1_at(scores, labels, threshold)[2]


def point_scores(window_errors: np.ndarray, end_rows: np.ndarray, rows: int) -> np.ndarray:
    """Score of each row = error of the window ending at that row, as an online detector
    would report it. Rows before the first complete window take the first window's error;
    rows whose window was dropped (long gap) keep the previous score."""
    scores = np.full(rows, np.nan)
    scores[end_rows] = window_errors
    valid = ~np.isnan(scores)
    if not valid.any():
        raise ValueError("no scored windows")
    index = np.where(valid, np.arange(rows), 0)
    np.maximum.accumulate(index, out=index)
    scores = scores[index]
    scores[: end_rows[0]] = window_errors[0]
    return scores
