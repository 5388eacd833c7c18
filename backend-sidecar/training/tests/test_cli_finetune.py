import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from seismo_training.cli import main
from seismo_training.data import synthetic
from seismo_training.manifest.io import read_manifest

TRAINING_DIR = Path(__file__).resolve().parents[1]


def _write_frame(path: Path, frame, rows=None, gap=None):
    values = frame.values[:rows].copy()
    if gap:
        values[gap] = np.nan
    stamps = frame.start + np.arange(len(values)) * frame.step_seconds
    lines = ["timestamp," + ",".join(frame.signals)]
    lines += [f"{int(t)}," + ",".join("" if np.isnan(v) else f"{v:.6f}" for v in row)
              for t, row in zip(stamps, values)]
    path.write_text("\n".join(lines) + "\n")
    return path


SMALL = ["--window", "8", "--stride", "2", "--batch-size", "32",
         "--hyperparameters", '{"hidden": [8, 4], "latent_channels": 2, "kernel": 3}']


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("base")
    torch.set_num_threads(1)
    a = _write_frame(tmp / "checkout.csv", synthetic.service_frame("checkout", 600, 1), gap=slice(100, 103))
    b = _write_frame(tmp / "cart.csv", synthetic.service_frame("cart", 600, 2, level=0.5))
    out = tmp / "model"
    code = main(["train", "--data", str(a), "--data", str(b), "--epochs", "3", *SMALL,
                 "--unit", "latency_p95=seconds", "--unit", "*=1", "--model-id", "base-test", "--out", str(out)])
    assert code == 0
    return out


def test_train_command_writes_a_valid_model_dir(base_dir):
    manifest = read_manifest(base_dir)
    assert manifest["model_id"] == "base-test"
    assert [s["unit"] for s in manifest["signals"]] == ["seconds", "1", "1"]
    files = manifest["training"]["data_source"]["files"]
    assert [f["name"] for f in files] == ["checkout.csv", "cart.csv"]
    assert all("/" not in f["name"] for f in files)  # no local paths in shipped artefacts


@pytest.mark.parametrize("freeze", [True, False])
def test_finetune_adapts_one_entity_and_records_its_base(base_dir, tmp_path, freeze):
    data = _write_frame(tmp_path / "new.csv", synthetic.service_frame("payments", 300, 5, level=2.0))
    out = tmp_path / "tuned"
    args = ["finetune", "--base", str(base_dir), "--entity", "payments", "--data", str(data),
            "--epochs", "2", "--stride", "2", "--out", str(out)]
    assert main(args + (["--freeze-encoder"] if freeze else [])) == 0
    manifest = read_manifest(out)
    base = read_manifest(base_dir)
    assert manifest["entity"] == "payments"
    assert manifest["training"]["base_model"] == {
        "model_id": "base-test", "onnx_sha256": base["onnx"]["sha256"],
        "frozen_encoder": freeze, "normalisation": "entity"}
    assert list(manifest["normalisation"]["per_entity"]) == ["payments"]
    assert manifest["normalisation"]["default"] == base["normalisation"]["default"]
    assert manifest["architecture"] == base["architecture"]
    assert manifest["signals"] == base["signals"]
    # Level 2.0 means about twice the base request rate: the entity's own baseline shows it.
    rate = manifest["normalisation"]["per_entity"]["payments"]["request_rate"]["center"]
    assert rate > 1.5 * base["normalisation"]["per_entity"]["checkout"]["request_rate"]["center"]

    base_state = torch.load(base_dir / "weights.pt")["state_dict"]
    tuned_state = torch.load(out / "weights.pt")["state_dict"]
    encoder = [k for k in base_state if k.startswith("encoder.")]
    decoder = [k for k in base_state if k.startswith("decoder.")]
    assert all(torch.equal(base_state[k], tuned_state[k]) for k in encoder) == freeze
    assert not all(torch.equal(base_state[k], tuned_state[k]) for k in decoder)


def test_finetune_rejects_mismatched_signals(base_dir, tmp_path, capsys):
    path = tmp_path / "other.csv"
    path.write_text("timestamp,cpu\n0,1\n60,2\n120,3\n")
    code = main(["finetune", "--base", str(base_dir), "--entity", "x", "--data", str(path), "--out", str(tmp_path / "o")])
    assert code == 2
    assert "missing signals ['latency_p95', 'request_rate', 'error_ratio']" in capsys.readouterr().err


def test_data_errors_exit_cleanly_with_the_file_named(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["train", "--data", str(empty), "--out", str(tmp_path / "m")]) == 2
    assert f"error: {empty}: file is empty" in capsys.readouterr().err


def test_validate_command_and_module_entry_point(base_dir):
    result = subprocess.run([sys.executable, "-m", "seismo_training", "validate", str(base_dir)],
                            cwd=TRAINING_DIR, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "valid (base-test)" in result.stdout
    assert json.loads((base_dir / "manifest.json").read_text())["format_version"] == 1


def test_train_from_prometheus_and_rerun_from_cache(tmp_path):
    from .fake_prometheus import FakePrometheus

    start = 1_700_000_000
    common = ["--query", "request_rate=sum by (service) (rate(x[1m]))", "--query", "latency_p95=y",
              "--start", str(start), "--end", str(start + 599 * 60), "--step", "1m", "--max-points", "250",
              "--cache-dir", str(tmp_path / "cache"), "--epochs", "1", *SMALL]
    with FakePrometheus() as server:
        assert main(["train", "--prometheus", server.url, *common, "--out", str(tmp_path / "m1")]) == 0
        first = len(server.requests)
        assert main(["train", "--prometheus", server.url, *common, "--out", str(tmp_path / "m2")]) == 0
        second = len(server.requests) - first
    assert first == 2 * 3  # two signals x three chunks of at most 250 points
    assert second == 0  # everything came from the chunk cache
    manifest = read_manifest(tmp_path / "m1")
    source = manifest["training"]["data_source"]
    assert source["type"] == "prometheus" and source["url"] == server.url
    assert source["queries"] == {"request_rate": "sum by (service) (rate(x[1m]))", "latency_p95": "y"}
    assert sorted(manifest["normalisation"]["per_entity"]) == ["cart", "checkout"]
    assert manifest["training"]["time_range"]["start"] == "2023-11-14T22:13:20Z"
    assert manifest["window"]["step_seconds"] == 60
    m2 = read_manifest(tmp_path / "m2")
    assert m2["normalisation"] == manifest["normalisation"] and m2["onnx"]["sha256"] == manifest["onnx"]["sha256"]
