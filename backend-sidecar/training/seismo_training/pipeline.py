"""One training run end to end: frames -> windows -> fitted model -> calibration.

Kept free of file output so `compare` can reuse it; `artifacts.save_model` writes results.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import torch
from torch import nn

from .calibration import Calibration, ThresholdRule, calibrate
from .data.frame import SignalFrame
from .fit import FitOptions, FitResult, fit_autoencoder
from .models import ModelSpec, build_model
from .preprocessing.dataset import TrainingSet, WindowOptions, build_training_set
from .preprocessing.normalisation import Normalisation, NormalisationOptions
from .preprocessing.splits import SplitFractions
from .scoring import ErrorOptions, ErrorSpec, fit_error_spec
from .seeding import seed_everything

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainOptions:
    arch: str = "conv"
    hyperparameters: dict = field(default_factory=dict)
    windows: WindowOptions = WindowOptions()
    fractions: SplitFractions = SplitFractions()
    normalisation: NormalisationOptions = NormalisationOptions()
    fit: FitOptions = FitOptions()
    threshold: ThresholdRule = ThresholdRule()
    seed: int = 0
    error: ErrorOptions = ErrorOptions()


@dataclass
class TrainedModel:
    model: nn.Module
    spec: ModelSpec
    data: TrainingSet
    history: FitResult
    calibration: Calibration
    step_seconds: float
    frames: list[SignalFrame]
    options: TrainOptions
    error: ErrorSpec = field(default_factory=ErrorSpec)


def train(frames: list[SignalFrame], options: TrainOptions,
          initial_state: dict | None = None,
          fixed_normalisation: Normalisation | None = None) -> TrainedModel:
    """Train from scratch, or from initial_state (fine-tuning) when given."""
    data = build_training_set(frames, options.windows, options.fractions, options.normalisation,
                              fixed_normalisation)
    log.info("windows: fit %d, validation %d, calibration %d",
             len(data.fit), len(data.validation), len(data.calibration))
    spec = ModelSpec(options.arch, len(data.normalisation.signals), options.windows.window,
                     options.hyperparameters).resolved()
    generator = seed_everything(options.seed)
    model = build_model(spec)
    if initial_state is not None:
        model.load_state_dict(initial_state)
    history = fit_autoencoder(model, data.fit, data.validation, options.fit, generator)
    # Residual scales come from the validation windows and the quantiles from the calibration
    # windows, so the calibrated errors are out of sample for every learned quantity.
    error = fit_error_spec(options.error, model, data.validation)
    calibration = calibrate(error.model_errors(model, data.calibration), options.threshold)
    if calibration.windows < 200:
        log.warning("only %d calibration windows; the tail quantiles are rough", calibration.windows)
    return TrainedModel(model, spec, data, history, calibration, frames[0].step_seconds, frames, options, error)


def trainable_state(model: nn.Module) -> dict:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def same_weights(a: nn.Module, b: nn.Module) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)
