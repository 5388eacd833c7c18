"""Training loop: Adam on MSE with early stopping on the validation windows."""

from __future__ import annotations

import copy
import logging
import math
import time
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FitOptions:
    epochs: int = 30
    patience: int = 4
    min_delta: float = 1e-4  # relative improvement that resets patience
    batch_size: int = 128
    learning_rate: float = 1e-3
    freeze_encoder: bool = False


@dataclass
class FitResult:
    train_loss: list[float] = field(default_factory=list)
    validation_loss: list[float] = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False
    seconds: float = 0.0

    @property
    def epochs_run(self) -> int:
        return len(self.train_loss)

    @property
    def best_validation_loss(self) -> float:
        return self.validation_loss[self.best_epoch - 1] if self.validation_loss else math.nan

    def to_json(self) -> dict:
        return {
            "epochs_run": self.epochs_run,
            "best_epoch": self.best_epoch,
            "stopped_early": self.stopped_early,
            "train_loss": [round(v, 8) for v in self.train_loss],
            "validation_loss": [round(v, 8) for v in self.validation_loss],
            "seconds": round(self.seconds, 3),
        }


def mean_loss(model: nn.Module, windows: np.ndarray, batch_size: int) -> float:
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(windows), batch_size):
            batch = torch.from_numpy(windows[start:start + batch_size])
            total += float(((model(batch) - batch) ** 2).mean()) * len(batch)
            count += len(batch)
    return total / max(count, 1)


def fit_autoencoder(model: nn.Module, fit_windows: np.ndarray, validation_windows: np.ndarray,
                    options: FitOptions, generator: torch.Generator) -> FitResult:
    """Train in place; on return the model holds the weights of the best validation epoch."""
    if len(fit_windows) == 0 or len(validation_windows) == 0:
        raise ValueError("training needs fit and validation windows")
    if options.freeze_encoder:
        for parameter in model.encoder.parameters():
            parameter.requires_grad_(False)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.Adam(trainable, lr=options.learning_rate)
    loss_fn = nn.MSELoss()
    data = torch.from_numpy(fit_windows)
    result = FitResult()
    best_loss, best_state, waited = math.inf, copy.deepcopy(model.state_dict()), 0
    began = time.perf_counter()
    for epoch in range(1, options.epochs + 1):
        model.train()
        order = torch.randperm(len(data), generator=generator)
        running, seen = 0.0, 0
        for start in range(0, len(data), options.batch_size):
            batch = data[order[start:start + options.batch_size]]
            optimiser.zero_grad()
            loss = loss_fn(model(batch), batch)
            loss.backward()
            optimiser.step()
            running += float(loss) * len(batch)
            seen += len(batch)
        val = mean_loss(model, validation_windows, options.batch_size)
        result.train_loss.append(running / seen)
        result.validation_loss.append(val)
        log.info("epoch %d: train %.5f validation %.5f", epoch, running / seen, val)
        if val < best_loss * (1 - options.min_delta):
            best_loss, best_state, waited = val, copy.deepcopy(model.state_dict()), 0
            result.best_epoch = epoch
        else:
            waited += 1
            if waited >= options.patience:
                result.stopped_early = True
                break
    model.load_state_dict(best_state)
    model.eval()
    result.seconds = time.perf_counter() - began
    return result
