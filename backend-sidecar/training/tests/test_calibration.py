import numpy as np
import pytest

from seismo_training.calibration import LEVELS, ThresholdRule, calibrate


def test_scores_are_monotone_in_unit_interval():
    errors = np.random.default_rng(0).lognormal(0, 1, 3000)
    calibration = calibrate(errors)
    probe = np.concatenate([[0.0, -1.0], np.linspace(0, errors.max() * 3, 2000)])
    scores = calibration.score(np.sort(probe))
    assert ((scores >= 0) & (scores <= 1)).all()
    assert (np.diff(scores) >= 0).all()
    assert calibration.score(np.array([0.0]))[0] == 0.0
    assert calibration.score(np.array([errors.max() * 2]))[0] == 1.0
    # The 90th percentile of calibration errors scores 0.9.
    assert calibration.score(np.quantile(errors, [0.9]))[0] == pytest.approx(0.9, abs=1e-9)


def test_quantile_table_is_101_strictly_increasing_values_even_with_ties():
    errors = np.concatenate([np.zeros(800), np.linspace(0, 1, 200)])  # 80% identical errors
    calibration = calibrate(errors)
    assert len(calibration.quantiles) == len(LEVELS) == 101
    assert (np.diff(calibration.quantiles) > 0).all()
    assert np.isfinite(calibration.score(np.array([0.0, 0.5, 2.0]))).all()


def test_threshold_rule_uses_training_quantiles_only():
    errors = np.arange(1, 1001, dtype=float)
    calibration = calibrate(errors, ThresholdRule(quantile=0.99, margin=0.5))
    q99, q50 = np.quantile(errors, [0.99, 0.5])
    assert calibration.threshold == pytest.approx(q99 + 0.5 * (q99 - q50))
    section = calibration.to_manifest()
    assert section["threshold_rule"] == {"quantile": 0.99, "margin": 0.5,
                                         "formula": "Q(quantile) + margin * (Q(quantile) - Q(0.5))"}
    assert section["threshold_score"] == 1.0  # beyond every calibration error


def test_non_finite_errors_are_ignored_and_empty_input_rejected():
    calibration = calibrate(np.array([1.0, np.nan, 2.0, np.inf, 3.0]))
    assert calibration.windows == 3
    with pytest.raises(ValueError):
        calibrate(np.array([np.nan]))
