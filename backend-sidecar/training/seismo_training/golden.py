"""The golden pair: a tiny deterministic model plus inputs and torch outputs, so the
sidecar's onnxruntime-node test (and the browser's) can prove they reproduce training.

Files: model.onnx, manifest.json, golden-input.json, golden-output.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from .artifacts import save_model
from .data import synthetic
from .fit import FitOptions
from .pipeline import TrainOptions, TrainedModel, train
from .preprocessing.dataset import WindowOptions
from .preprocessing.normalisation import NormalisationOptions
from .preprocessing.splits import SplitFractions
from .scoring import reconstruct, signal_errors

MODEL_ID = "golden-conv-ae"
TOLERANCE = 1e-5
SEED = 7
# Tiny on purpose: every file stays a few KB, yet the graph has the same ops as the shipped
# convolutional model (Conv, ConvTranspose, Relu).
HYPERPARAMETERS = {"hidden": [6, 4], "latent_channels": 2, "kernel": 3}
WINDOW = 8
TRAINING_ENTITIES = {"checkout": (1.0, 11), "cart": (0.6, 12)}
UNSEEN_ENTITY = "payments"


def train_golden() -> TrainedModel:
    frames = [synthetic.service_frame(name, 1500, seed, level=level)
              for name, (level, seed) in TRAINING_ENTITIES.items()]
    options = TrainOptions(
        arch="conv", hyperparameters=HYPERPARAMETERS,
        windows=WindowOptions(window=WINDOW, stride=2, max_gap=5),
        fractions=SplitFractions(0.15, 0.15),
        normalisation=NormalisationOptions(signal_floors=synthetic.SCALE_FLOORS),
        fit=FitOptions(epochs=15, patience=3, batch_size=64, learning_rate=3e-3),
        seed=SEED,
    )
    previous = torch.get_num_threads()
    torch.set_num_threads(1)  # one thread: summation order, hence bits, do not vary
    try:
        return train(frames, options)
    finally:
        torch.set_num_threads(previous)


def golden_batch() -> tuple[list[str], np.ndarray]:
    """Raw windows [N, signals, window]: normal checkout windows, one with a latency level
    shift, and one from an entity the model never saw (exercises the default statistics)."""
    checkout = synthetic.service_frame("checkout", 400, 99)
    unseen = synthetic.service_frame(UNSEEN_ENTITY, 100, 98, level=0.8)
    raw = [checkout.values[i:i + WINDOW].T for i in (100, 200, 300)]
    shifted = checkout.values[350:350 + WINDOW].T.copy()
    shifted[0, -4:] += 0.05  # +50 ms on the last four steps of latency
    raw += [shifted, unseen.values[40:40 + WINDOW].T]
    return ["checkout"] * 4 + [UNSEEN_ENTITY], np.stack(raw)


def _round_trip_float32(array: np.ndarray) -> list:
    # float32 -> Python float is exact, so JSON carries the very tensor torch consumed.
    return np.asarray(array, dtype=np.float32).astype(np.float64).tolist()


def write_golden(out_dir: Path) -> dict:
    out_dir = Path(out_dir)
    trained = train_golden()
    manifest = save_model(trained, out_dir, units=synthetic.UNITS, model_id=MODEL_ID, checkpoint=False)
    entities, raw = golden_batch()
    normalisation = trained.data.normalisation
    windows = np.stack([normalisation.transform(e, w.T).T for e, w in zip(entities, raw)]).astype(np.float32)
    recon = reconstruct(trained.model, windows)
    per_signal = signal_errors(windows, recon)
    errors = per_signal.mean(axis=1)
    scores = trained.calibration.score(errors)
    shape = list(windows.shape)
    golden_input = {
        "description": "raw windows, their entities, and the normalised tensor fed to the model",
        "input_name": manifest["input"]["name"], "shape": shape, "layout": "NCW",
        "entities": entities, "raw": raw.tolist(), "windows": _round_trip_float32(windows),
    }
    golden_output = {
        "description": "torch outputs for golden-input.json windows; errors and scores in float64",
        "output_name": manifest["output"]["name"], "shape": shape, "tolerance": TOLERANCE,
        "reconstruction": _round_trip_float32(recon),
        "errors": errors.tolist(), "signal_errors": per_signal.tolist(),
        "scores": scores.tolist(),
        "anomalous": (errors > trained.calibration.threshold).tolist(),
    }
    (out_dir / "golden-input.json").write_text(json.dumps(golden_input) + "\n")
    (out_dir / "golden-output.json").write_text(json.dumps(golden_output) + "\n")
    return manifest
