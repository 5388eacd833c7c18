"""Fully connected autoencoder over the flattened window (signals x time)."""

from __future__ import annotations

import torch
from torch import nn

DEFAULTS = {"hidden": [128], "latent": 32}


def _stack(sizes: list[int], last_activation: bool) -> list[nn.Module]:
    layers: list[nn.Module] = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes) or last_activation:
            layers.append(nn.ReLU())
    return layers


class DenseAutoencoder(nn.Module):
    def __init__(self, signals: int, window: int, hidden: list[int], latent: int):
        super().__init__()
        flat = signals * window
        self.shape = (signals, window)
        self.encoder = nn.Sequential(nn.Flatten(1), *_stack([flat, *hidden, latent], False))
        self.decoder = nn.Sequential(*_stack([latent, *reversed(hidden), flat], False))

    def forward(self, windows: torch.Tensor) -> torch.Tensor:
        # reshape with -1 exports as a constant Reshape that keeps the batch axis dynamic
        # (nn.Unflatten does not export at opset 17 with this torch).
        return self.decoder(self.encoder(windows)).reshape(-1, *self.shape)
