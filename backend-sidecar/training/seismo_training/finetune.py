"""Adapt a base model to one entity with little data.

Starts from the base checkpoint, keeps its architecture, window, step, signal order and
calibration rule, trains a few epochs at a lower learning rate (optionally with the encoder
frozen, so the shared representation stays and only the decoder adapts), then calibrates
on the entity's own held-out tail.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import torch

from .artifacts import CHECKPOINT_FILE, save_model
from .calibration import Calibration
from .data.frame import SignalFrame
from .errors import DataError, SeismoTrainingError
from .manifest.io import read_manifest
from .pipeline import TrainOptions, TrainedModel, train
from .preprocessing import normalisation as norm
from .preprocessing.dataset import WindowOptions, fit_period_values
from .scoring import SCALED, ErrorOptions


@dataclass(frozen=True)
class FinetuneOptions:
    epochs: int = 5
    patience: int = 2
    learning_rate: float = 3e-4
    freeze_encoder: bool = False
    # "entity": learn the entity's own baseline; "base": reuse the base model's statistics
    # (its entry for this entity if it had one, else its default).
    normalisation: str = "entity"
    stride: int = 1
    seed: int = 0


@dataclass(frozen=True)
class BaseModel:
    directory: Path
    manifest: dict
    spec: dict
    state_dict: dict

    @property
    def signals(self) -> tuple[str, ...]:
        return tuple(s["name"] for s in self.manifest["signals"])


def load_base(directory: Path) -> BaseModel:
    directory = Path(directory)
    manifest = read_manifest(directory)  # also verifies the files' sha256
    if manifest["checkpoint"] is None:
        raise SeismoTrainingError(
            f"{directory}: base model has no checkpoint ({CHECKPOINT_FILE}); fine-tuning needs its weights"
        )
    payload = torch.load(directory / manifest["checkpoint"]["file"], map_location="cpu")
    return BaseModel(directory, manifest, payload["spec"], payload["state_dict"])


def _align(frame: SignalFrame, base: BaseModel) -> SignalFrame:
    label = frame.source.get("name", frame.entity)
    if frame.step_seconds != base.manifest["window"]["step_seconds"]:
        raise DataError(label, f"step {frame.step_seconds}s differs from the base model's "
                               f"{base.manifest['window']['step_seconds']}s")
    return frame.select(base.signals)


def _normalisation(frame: SignalFrame, base: BaseModel, options: FinetuneOptions,
                   train_options: TrainOptions) -> norm.Normalisation:
    base_norm = norm.Normalisation.from_manifest(base.manifest["normalisation"], base.signals)
    if options.normalisation == "base":
        stats = base_norm.stats_for(frame.entity)
    elif options.normalisation == "entity":
        values = fit_period_values(frame, train_options.windows, train_options.fractions)
        stats = norm.fit_entity(values, base.signals, base_norm.options)
    else:
        raise ValueError(f"normalisation must be 'entity' or 'base', got {options.normalisation!r}")
    return norm.Normalisation(base.signals, {frame.entity: stats}, base_norm.default, base_norm.options)


def finetune(base: BaseModel, frame: SignalFrame, options: FinetuneOptions,
             train_options: TrainOptions) -> TrainedModel:
    frame = _align(frame, base)
    manifest = base.manifest
    rule = Calibration.from_manifest(manifest["calibration"]).rule
    train_options = replace(
        train_options,
        arch=base.spec["kind"],
        hyperparameters=base.spec["hyperparameters"],
        windows=WindowOptions(manifest["window"]["length"], options.stride,
                              manifest["missing_data"]["max_gap_steps"]),
        normalisation=norm.Normalisation.from_manifest(manifest["normalisation"], base.signals).options,
        fit=replace(train_options.fit, epochs=options.epochs, patience=options.patience,
                    learning_rate=options.learning_rate, freeze_encoder=options.freeze_encoder),
        threshold=rule,
        seed=options.seed,
        # Same error definition as the base; its residual scales are relearned on the entity.
        error=(ErrorOptions("scaled", manifest["error"]["steps"]) if manifest["error"]["reduction"] == SCALED
               else ErrorOptions("squared")),
    )
    fixed = _normalisation(frame, base, options, train_options)
    return train([frame], train_options, initial_state=base.state_dict, fixed_normalisation=fixed)


def finetune_to_dir(base_dir: Path, frame: SignalFrame, options: FinetuneOptions,
                    train_options: TrainOptions, out_dir: Path, model_id: str | None = None) -> dict:
    base = load_base(base_dir)
    trained = finetune(base, frame, options, train_options)
    units = {s["name"]: s["unit"] for s in base.manifest["signals"]}
    record = {
        "model_id": base.manifest["model_id"],
        "onnx_sha256": base.manifest["onnx"]["sha256"],
        "frozen_encoder": options.freeze_encoder,
        "normalisation": options.normalisation,
    }
    return save_model(trained, out_dir, units=units, model_id=model_id, entity=frame.entity,
                      base_model=record)

