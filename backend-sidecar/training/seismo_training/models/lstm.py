"""LSTM autoencoder: an encoder LSTM summarises the window into a latent vector, which is
repeated at every step and unrolled by a decoder LSTM into the reconstruction."""

from __future__ import annotations

import torch
from torch import nn

DEFAULTS = {"hidden": 32, "latent": 32}


class _Encoder(nn.Module):
    def __init__(self, signals: int, hidden: int, latent: int):
        super().__init__()
        self.lstm = nn.LSTM(signals, hidden, batch_first=True)
        self.project = nn.Linear(hidden, latent)

    def forward(self, windows: torch.Tensor) -> torch.Tensor:
        _, (last_hidden, _) = self.lstm(windows.transpose(1, 2))  # time-major steps
        return self.project(last_hidden[-1])


class _Decoder(nn.Module):
    def __init__(self, signals: int, window: int, hidden: int, latent: int):
        super().__init__()
        self.window = window
        self.lstm = nn.LSTM(latent, hidden, batch_first=True)
        self.output = nn.Linear(hidden, signals)

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        repeated = latent.unsqueeze(1).expand(-1, self.window, -1)
        steps, _ = self.lstm(repeated)
        return self.output(steps).transpose(1, 2)


class LstmAutoencoder(nn.Module):
    def __init__(self, signals: int, window: int, hidden: int, latent: int):
        super().__init__()
        self.encoder = _Encoder(signals, hidden, latent)
        self.decoder = _Decoder(signals, window, hidden, latent)

    def forward(self, windows: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(windows))
