import numpy as np
import pytest

from seismo_training.data.frame import SignalFrame
from seismo_training.errors import DataError
from seismo_training.preprocessing import normalisation as norm
from seismo_training.preprocessing.dataset import WindowOptions, build_training_set, windows_for_scoring
from seismo_training.preprocessing.splits import SplitFractions
from seismo_training.preprocessing.windows import sliding_windows

OPTIONS = norm.NormalisationOptions(absolute_floor=1e-3, relative_floor=1e-2, clip=None)


def _minmax(windows):
    low = windows.min(axis=2, keepdims=True)
    high = windows.max(axis=2, keepdims=True)
    return (windows - low) / np.where(high > low, high - low, 1)


def test_level_shift_stays_visible_unlike_per_window_minmax():
    rng = np.random.default_rng(0)
    pattern = np.sin(np.arange(16) / 2.0)
    train = (10 + pattern[np.arange(400) % 16] + rng.normal(0, 0.05, 400))[:, None]
    stats = norm.fit({"svc": train}, ("x",), OPTIONS)
    before = train[:16]
    after = before + 5.0  # same shape, level moved up by 5
    robust_before = stats.transform("svc", before)
    robust_after = stats.transform("svc", after)
    # Robust baseline: the shifted window sits about 5/scale units higher.
    shift = float(np.mean(robust_after - robust_before))
    assert shift == pytest.approx(5.0 / stats.per_entity["svc"]["x"].scale, rel=1e-9)
    assert shift > 3
    # Per-window min-max erases it completely.
    w_before, _ = sliding_windows(before, 16)
    w_after, _ = sliding_windows(after, 16)
    np.testing.assert_allclose(_minmax(w_before), _minmax(w_after), atol=1e-5)


def test_scale_rule_mad_then_iqr_then_std_then_floor():
    normal = np.random.default_rng(1).normal(5.0, 2.0, 20000)
    stats = norm.robust_stats(normal, OPTIONS)
    assert stats.center == pytest.approx(5.0, abs=0.05)
    assert stats.scale == pytest.approx(2.0, rel=0.05)  # MAD * 1.4826 estimates sigma

    spiky = np.zeros(1000)
    spiky[::10] = 1.0  # MAD and IQR are 0; the standard deviation is not
    assert norm.robust_stats(spiky, OPTIONS).scale == pytest.approx(np.std(spiky))

    constant = np.full(100, 250.0)
    s = norm.robust_stats(constant, OPTIONS)
    assert s.scale == pytest.approx(2.5)  # relative floor: 1% of |median|
    zero = norm.robust_stats(np.zeros(100), OPTIONS)
    assert zero.scale == 1e-3  # absolute floor; never a division by zero
    assert np.isfinite(norm.apply(np.array([[0.5]]), ("x",), {"x": zero}, None)).all()


def test_stats_are_per_entity_with_pooled_default_and_ignore_nan():
    a = np.array([[1.0], [2.0], [3.0], [np.nan]])
    b = np.array([[101.0], [102.0], [103.0]])
    stats = norm.fit({"a": a, "b": b}, ("x",), OPTIONS)
    assert stats.per_entity["a"]["x"].center == 2.0
    assert stats.per_entity["b"]["x"].center == 102.0
    assert stats.default["x"].center == pytest.approx(np.median([1, 2, 3, 101, 102, 103]))
    assert stats.stats_for("never-seen") is stats.default
    manifest = stats.to_manifest()
    assert set(manifest["per_entity"]) == {"a", "b"} and "x" in manifest["default"]
    round_trip = norm.Normalisation.from_manifest(manifest, ("x",))
    assert round_trip.per_entity["b"]["x"] == stats.per_entity["b"]["x"]


def test_clip_bounds_normalised_values():
    stats = {"x": norm.SignalStats(0.0, 1.0)}
    out = norm.apply(np.array([[-50.0], [3.0], [50.0]]), ("x",), stats, clip=10.0)
    assert out[:, 0].tolist() == [-10.0, 3.0, 10.0]


def test_statistics_come_from_the_fit_period_only():
    values = np.concatenate([np.full(700, 1.0), np.full(300, 50.0)])[:, None]
    values = values + np.random.default_rng(2).normal(0, 0.1, values.shape)
    frame = SignalFrame("svc", ("x",), values, 60.0)
    data = build_training_set([frame], WindowOptions(8, 4, 3), SplitFractions(0.15, 0.15), OPTIONS)
    # The last 30% (validation + calibration) moved to 50; the learned centre must not see it.
    assert data.normalisation.per_entity["svc"]["x"].center == pytest.approx(1.0, abs=0.05)
    scored, _ = windows_for_scoring(frame, data.normalisation, WindowOptions(8, 1, 3))
    assert scored[-1].mean() > 100  # the later level is far outside the baseline


def test_per_signal_floor_overrides_the_absolute_floor():
    options = norm.NormalisationOptions(absolute_floor=1e-3, relative_floor=0.0,
                                        signal_floors=(("memory_working_set", 1048576.0),))
    constant = np.zeros((50, 2))
    stats = norm.fit_entity(constant, ("memory_working_set", "latency_p95"), options)
    assert stats["memory_working_set"].scale == 1048576.0
    assert stats["latency_p95"].scale == 1e-3
    section = norm.fit({"svc": constant}, ("memory_working_set", "latency_p95"), options).to_manifest()
    assert section["signal_floors"] == {"memory_working_set": 1048576.0}
    assert norm.Normalisation.from_manifest(section, ("memory_working_set", "latency_p95")).options == options


def test_the_fallback_entity_name_is_reserved():
    frame = SignalFrame("default", ("x",), np.ones((100, 1)), 60.0)
    with pytest.raises(DataError, match="'default' is reserved"):
        build_training_set([frame], WindowOptions(8, 4, 3), SplitFractions(), OPTIONS)
