import gzip

import numpy as np
import pytest

from seismo_training.data.csv_source import CsvOptions, load_csv
from seismo_training.errors import DataError

from .helpers import write_csv


def test_headerless_numeric_file_like_smd(tmp_path):
    path = tmp_path / "machine-9-9_train.csv.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("0.1,0.2,0.3\n0.4,0.5,0.6\n")
    frame = load_csv(path, CsvOptions(step_seconds=60, expected_columns=3))
    assert frame.entity == "machine-9-9_train"
    assert frame.signals == ("col_1", "col_2", "col_3") and frame.start is None
    np.testing.assert_allclose(frame.values, [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    assert len(frame.source["sha256"]) == 64 and frame.source["rows"] == 2


def test_timestamped_file_is_regularised_and_missing_rows_become_nan(tmp_path):
    path = write_csv(tmp_path / "svc.csv", ["time", "cpu", "mem"], [
        ["2024-01-01T00:00:00Z", 1, 10],
        ["2024-01-01T00:01:00Z", 2, ""],
        ["2024-01-01T00:04:00Z", 5, 50],  # rows for :02 and :03 are absent
        ["2024-01-01T00:05:00Z", 6, 60],
    ])
    frame = load_csv(path, CsvOptions(entity="checkout"))
    assert frame.entity == "checkout" and frame.signals == ("cpu", "mem")
    assert frame.step_seconds == 60 and frame.rows == 6
    assert frame.start == 1704067200.0
    assert np.isnan(frame.values[1, 1]) and np.isnan(frame.values[2:4]).all()
    assert frame.values[4].tolist() == [5, 50]


def test_unix_millisecond_timestamps(tmp_path):
    path = write_csv(tmp_path / "a.csv", ["timestamp", "x"], [[1704067200000, 1], [1704067230000, 2]])
    frame = load_csv(path)
    assert frame.start == 1704067200.0 and frame.step_seconds == 30


@pytest.mark.parametrize("content, problem", [
    ("", "file is empty"),
    ("\n\n", "file is empty"),
    ("timestamp,cpu\n", "header but no data rows"),
    ("1,2,3\n4,5\n", "line 2 has 2 columns, expected 3"),
    ("timestamp,cpu,mem\n0,1,NaN\n60,2,nan\n120,3,\n", "column 'mem' has no numeric values"),
    ("timestamp,cpu\n0,1\n60,abc\n", "line 3, column 'cpu': cannot parse 'abc'"),
    ("timestamp,cpu\n0,1\n0,2\n", "duplicate timestamps"),
    ("timestamp,cpu\nyesterday,1\n", "line 2: cannot parse timestamp 'yesterday'"),
])
def test_bad_files_raise_errors_naming_file_and_problem(tmp_path, content, problem):
    path = tmp_path / "broken.csv"
    path.write_text(content)
    with pytest.raises(DataError) as info:
        load_csv(path, CsvOptions(step_seconds=60))
    assert str(path) in str(info.value)
    assert problem in str(info.value)


def test_wrong_column_count_against_expectation_and_missing_step(tmp_path):
    path = write_csv(tmp_path / "m.csv", None, [[1, 2], [3, 4]])
    with pytest.raises(DataError, match=r"m\.csv: has 2 signal columns, expected 38"):
        load_csv(path, CsvOptions(step_seconds=60, expected_columns=38))
    with pytest.raises(DataError, match=r"m\.csv: has no timestamp column; pass the step"):
        load_csv(path)
    with pytest.raises(DataError, match="nope.csv: file does not exist"):
        load_csv(tmp_path / "nope.csv")


def test_select_reorders_columns_and_names_missing_ones(tmp_path):
    path = write_csv(tmp_path / "svc.csv", ["timestamp", "b", "a"], [[0, 1, 2], [60, 3, 4]])
    frame = load_csv(path)
    assert frame.select(["a", "b"]).values.tolist() == [[2, 1], [4, 3]]
    with pytest.raises(DataError, match=r"svc\.csv: missing signals \['c'\]"):
        frame.select(["a", "c"])
