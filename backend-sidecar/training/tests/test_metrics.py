import numpy as np
import pytest

from seismo_training.evaluation.metrics import average_precision, best_f1, f1_at, point_scores


def test_best_f1_and_average_precision_on_a_hand_checked_case():
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    labels = np.array([1, 0, 1, 0, 0, 1])
    # thresholds: top1 P=1 R=1/3; top3 P=2/3 R=2/3 (F1 2/3); top6 P=1/2 R=1 (F1 2/3)
    assert best_f1(scores, labels) == pytest.approx(2 / 3)
    assert average_precision(scores, labels) == pytest.approx((1 + 2 / 3 + 1 / 2) / 3)
    assert f1_at(scores, labels, 0.75) == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))


def test_tied_scores_are_one_threshold():
    scores = np.array([1.0, 1.0, 0.0, 0.0])
    labels = np.array([1, 0, 0, 1])
    assert average_precision(scores, labels) == pytest.approx(0.5 * 0.5 + 0.5 * 0.5)


def test_perfect_and_random_rankings():
    labels = np.r_[np.zeros(900), np.ones(100)]
    assert best_f1(labels.copy(), labels) == 1.0
    random_ap = average_precision(np.random.default_rng(0).random(1000), labels)
    assert random_ap == pytest.approx(0.1, abs=0.04)


def test_point_scores_use_the_window_ending_at_each_row():
    scores = point_scores(np.array([5.0, 7.0, 9.0]), np.array([3, 4, 6]), rows=8)
    assert scores.tolist() == [5, 5, 5, 5, 7, 7, 9, 9]
