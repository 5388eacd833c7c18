"""1-D convolutional autoencoder: signals are channels, convolution runs along time.

Each encoder level halves the time axis with a stride-2 convolution and each decoder level
doubles it back with a transposed convolution, so the window must be divisible by
2 ** len(hidden). The graph exports to plain Conv / ConvTranspose / Relu ONNX nodes, which
every onnxruntime backend (node, web/wasm) implements.
"""

from __future__ import annotations

import torch
from torch import nn

DEFAULTS = {"hidden": [32, 16], "latent_channels": 4, "kernel": 5}


class ConvAutoencoder(nn.Module):
    def __init__(self, signals: int, window: int, hidden: list[int], latent_channels: int, kernel: int):
        super().__init__()
        levels = len(hidden)
        if kernel % 2 == 0:
            raise ValueError(f"conv kernel must be odd to keep the time axis aligned, got {kernel}")
        if levels == 0 or window % (2**levels) != 0:
            raise ValueError(
                f"conv autoencoder with {levels} levels needs a window divisible by {2 ** levels}, got {window}"
            )
        pad = kernel // 2
        enc: list[nn.Module] = [nn.Conv1d(signals, hidden[0], kernel, padding=pad), nn.ReLU()]
        for i in range(levels):
            out = hidden[i + 1] if i + 1 < levels else latent_channels
            enc.append(nn.Conv1d(hidden[i], out, 4, stride=2, padding=1))
            if i + 1 < levels:
                enc.append(nn.ReLU())
        dec: list[nn.Module] = []
        widths = [latent_channels] + list(reversed(hidden))
        for i in range(levels):
            dec += [nn.ConvTranspose1d(widths[i], widths[i + 1], 4, stride=2, padding=1), nn.ReLU()]
        dec.append(nn.Conv1d(hidden[0], signals, kernel, padding=pad))
        self.encoder = nn.Sequential(*enc)
        self.decoder = nn.Sequential(*dec)

    def forward(self, windows: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(windows))
