import numpy as np
import pytest

from seismo_training.data.frame import SignalFrame
from seismo_training.errors import DataError
from seismo_training.preprocessing.dataset import WindowOptions, build_training_set
from seismo_training.preprocessing.gaps import fill_short_gaps
from seismo_training.preprocessing.normalisation import NormalisationOptions
from seismo_training.preprocessing.splits import SplitFractions, split_rows
from seismo_training.preprocessing.windows import sliding_windows

nan = np.nan


def test_short_interior_gaps_are_interpolated_long_and_edge_gaps_are_not():
    column = np.array([nan, 1.0, nan, nan, 4.0, nan, nan, nan, nan, 9.0, nan])
    filled = fill_short_gaps(column[:, None], max_gap=3)[:, 0]
    np.testing.assert_allclose(filled[1:5], [1, 2, 3, 4])
    assert np.isnan(filled[0]) and np.isnan(filled[-1])  # nothing to anchor the edges
    assert np.isnan(filled[5:9]).all()  # 4 missing > max_gap 3
    assert np.isnan(column[2])  # input untouched


def test_windows_have_ncw_layout_and_order():
    values = np.arange(20, dtype=float).reshape(10, 2)  # row r: [2r, 2r+1]
    windows, ends = sliding_windows(values, window=4, stride=3)
    assert windows.shape == (3, 2, 4) and windows.dtype == np.float32
    assert ends.tolist() == [3, 6, 9]
    # [n, signal, time]: time runs along the last axis, newest last.
    assert windows[0, 0].tolist() == [0, 2, 4, 6]
    assert windows[0, 1].tolist() == [1, 3, 5, 7]
    assert windows[2, 1, -1] == values[9, 1]


def test_windows_touching_a_long_gap_are_dropped():
    values = np.ones((30, 2))
    values[10:15, 1] = nan  # 5 steps: longer than max_gap 2
    filled = fill_short_gaps(values, max_gap=2)
    windows, ends = sliding_windows(filled, window=5)
    assert not np.isnan(windows).any()
    assert all(end < 10 or end - 4 > 14 for end in ends)
    assert len(windows) == 26 - 9  # windows ending at rows 10..18 overlap the gap


def test_too_short_series_give_no_windows():
    windows, ends = sliding_windows(np.ones((3, 2)), window=5)
    assert windows.shape == (0, 2, 5) and len(ends) == 0


def test_split_is_time_ordered_and_complete():
    split = split_rows(100, SplitFractions(0.2, 0.1))
    assert (split.fit, split.validation, split.calibration) == (slice(0, 70), slice(70, 90), slice(90, 100))


def test_training_set_shapes_and_gap_error():
    rng = np.random.default_rng(0)
    frame = SignalFrame("svc", ("a", "b", "c"), rng.normal(size=(400, 3)), 60.0)
    data = build_training_set([frame], WindowOptions(16, 4, 3), SplitFractions(), NormalisationOptions())
    for part in (data.fit, data.validation, data.calibration):
        assert part.ndim == 3 and part.shape[1:] == (3, 16)
    assert data.counts["fit_windows"] == len(data.fit)

    broken = frame.values.copy()
    broken[::4, 0] = nan  # interpolable everywhere
    broken[280:, 1] = nan  # validation + calibration (rows 280..399) are one long gap
    with pytest.raises(DataError, match="no complete validation windows"):
        build_training_set([frame.with_values(broken)], WindowOptions(16, 4, 3), SplitFractions(),
                           NormalisationOptions())
