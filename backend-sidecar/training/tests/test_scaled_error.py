from dataclasses import replace

import numpy as np
import pytest

from seismo_training.artifacts import save_model
from seismo_training.manifest.io import read_manifest
from seismo_training.pipeline import train
from seismo_training.scoring import (RESIDUAL_SCALE_FLOOR, SCALED, ErrorOptions, ErrorSpec, reconstruct)

from .helpers import fast_options, frames


def test_scaled_error_is_mean_abs_residual_of_newest_steps_over_scale():
    windows = np.zeros((1, 2, 4), dtype=np.float32)
    recon = np.array([[[9, 9, 1, -1], [0, 0, 0, 3]]], dtype=np.float32)  # old steps must not count
    spec = ErrorSpec(SCALED, 2, (0.5, 2.0))
    per_signal = spec.signal_errors(windows, recon)
    assert per_signal.tolist() == [[2.0, 0.75]]  # (1+1)/2/0.5, (0+3)/2/2
    assert spec.window_errors(windows, recon).tolist() == [1.375]


def test_training_with_scaled_error_writes_a_valid_manifest(tmp_path):
    options = replace(fast_options(), error=ErrorOptions("scaled"))
    trained = train(frames(), options)
    assert trained.error.reduction == SCALED
    assert trained.error.steps == 2  # a quarter of the 8-step window
    assert min(trained.error.residual_scale) >= RESIDUAL_SCALE_FLOOR
    # The scales are the held-out windows' typical residual: their mean scaled error is about 1.
    held_out = trained.error.window_errors(trained.data.validation, reconstruct(trained.model, trained.data.validation))
    assert held_out.mean() == pytest.approx(1.0, rel=0.35)
    manifest = save_model(trained, tmp_path, units={}, model_id="scaled-test", checkpoint=False)
    error = read_manifest(tmp_path)["error"]
    assert error["reduction"] == SCALED and error["steps"] == 2
    assert list(error["residual_scale"]) == list(trained.data.normalisation.signals)
    assert ErrorSpec.from_manifest(error, trained.data.normalisation.signals) == trained.error
    assert manifest["calibration"]["threshold"] > manifest["calibration"]["quantiles"][50]


def test_error_steps_outside_the_window_are_refused():
    with pytest.raises(ValueError, match=r"error steps must be in \[1, 8\]"):
        ErrorOptions("scaled", 9).resolved_steps(8)


def test_synthetic_mesh_has_the_sidecars_canonical_signals_and_says_it_is_synthetic(tmp_path):
    from seismo_training.cli import main

    out = tmp_path / "mesh"
    code = main(["train", "--synthetic-mesh", "2", "--synthetic-days", "0.5", "--window", "8", "--stride", "4",
                 "--epochs", "1", "--hyperparameters", '{"hidden": [8, 4], "latent_channels": 2, "kernel": 3}',
                 "--no-checkpoint", "--out", str(out)])
    assert code == 0
    manifest = read_manifest(out)
    names = [s["name"] for s in manifest["signals"]]
    assert len(names) == 12 and names[:2] == ["request_rate", "error_ratio"]
    assert manifest["signals"][9] == {"name": "memory_working_set", "unit": "bytes"}
    assert manifest["normalisation"]["signal_floors"]["memory_working_set"] == 1024 * 1024
    source = manifest["training"]["data_source"]
    assert source["type"] == "synthetic" and "real mesh data" in source["note"]
    assert manifest["error"]["reduction"] == SCALED  # the train command's default
