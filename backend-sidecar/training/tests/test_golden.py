"""The checked-in golden pair is consistent, small, and reproducible from the seed."""

import json
from pathlib import Path

import numpy as np
import onnx
import pytest

from seismo_training.export.onnx_reference import evaluate
from seismo_training.golden import TOLERANCE, write_golden
from seismo_training.manifest.io import read_manifest

GOLDEN = Path(__file__).resolve().parents[2] / "models" / "golden"


def _load(directory):
    return (json.loads((directory / "golden-input.json").read_text()),
            json.loads((directory / "golden-output.json").read_text()))


def test_files_exist_are_small_and_manifest_validates():
    names = ["model.onnx", "manifest.json", "golden-input.json", "golden-output.json"]
    assert sum((GOLDEN / n).stat().st_size for n in names) < 200_000
    manifest = read_manifest(GOLDEN)  # schema, semantic rules and the onnx sha256
    assert manifest["input"]["shape"][1:] == [3, 8]


def test_onnx_file_reproduces_the_torch_outputs():
    golden_in, golden_out = _load(GOLDEN)
    windows = np.asarray(golden_in["windows"], dtype=np.float32)
    assert list(windows.shape) == golden_in["shape"]
    got = evaluate(onnx.load(str(GOLDEN / "model.onnx")), {golden_in["input_name"]: windows})
    recon = got[golden_out["output_name"]]
    np.testing.assert_allclose(recon, golden_out["reconstruction"], atol=TOLERANCE)
    errors = ((windows.astype(np.float64) - np.asarray(golden_out["reconstruction"])) ** 2).mean(axis=(1, 2))
    np.testing.assert_allclose(errors, golden_out["errors"], rtol=1e-12)


def test_windows_are_the_manifest_normalisation_of_the_raw_values():
    golden_in, _ = _load(GOLDEN)
    norm = json.loads((GOLDEN / "manifest.json").read_text())["normalisation"]
    signals = [s["name"] for s in json.loads((GOLDEN / "manifest.json").read_text())["signals"]]
    for entity, raw, window in zip(golden_in["entities"], golden_in["raw"], golden_in["windows"]):
        stats = norm["per_entity"].get(entity, norm["default"])
        for s, name in enumerate(signals):
            expected = np.clip((np.asarray(raw[s]) - stats[name]["center"]) / stats[name]["scale"],
                               -norm["clip"], norm["clip"])
            np.testing.assert_allclose(window[s], expected, rtol=1e-6, atol=1e-6)
    assert "payments" in golden_in["entities"] and "payments" not in norm["per_entity"]


def test_shifted_window_is_the_only_anomaly():
    _, golden_out = _load(GOLDEN)
    assert golden_out["anomalous"] == [False, False, False, True, False]
    assert golden_out["scores"][3] == 1.0 and max(golden_out["scores"][:3]) < 1.0


def test_regenerating_gives_the_same_numbers(tmp_path):
    write_golden(tmp_path)
    _, fresh = _load(tmp_path)
    _, checked_in = _load(GOLDEN)
    np.testing.assert_allclose(fresh["reconstruction"], checked_in["reconstruction"], atol=1e-6)
    np.testing.assert_allclose(fresh["errors"], checked_in["errors"], rtol=1e-5)
