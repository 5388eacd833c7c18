"""Model kinds by name, so manifests and checkpoints can rebuild the exact architecture."""

from __future__ import annotations

from dataclasses import dataclass, field

from torch import nn

from . import conv, dense, lstm

KINDS = {
    "conv1d_autoencoder": (conv.ConvAutoencoder, conv.DEFAULTS),
    "dense_autoencoder": (dense.DenseAutoencoder, dense.DEFAULTS),
    "lstm_autoencoder": (lstm.LstmAutoencoder, lstm.DEFAULTS),
}
_SHORT = {"conv": "conv1d_autoencoder", "dense": "dense_autoencoder", "lstm": "lstm_autoencoder"}


def resolve_kind(name: str) -> str:
    kind = _SHORT.get(name, name)
    if kind not in KINDS:
        raise ValueError(f"unknown architecture {name!r}; choose one of {sorted(_SHORT)}")
    return kind


def short_name(kind: str) -> str:
    return {v: k for k, v in _SHORT.items()}[kind]


@dataclass(frozen=True)
class ModelSpec:
    kind: str
    signals: int
    window: int
    hyperparameters: dict = field(default_factory=dict)

    def resolved(self) -> "ModelSpec":
        kind = resolve_kind(self.kind)
        defaults = KINDS[kind][1]
        unknown = set(self.hyperparameters) - set(defaults)
        if unknown:
            raise ValueError(f"unknown hyperparameters for {kind}: {sorted(unknown)}")
        return ModelSpec(kind, self.signals, self.window, {**defaults, **self.hyperparameters})

    def to_json(self) -> dict:
        spec = self.resolved()
        return {"kind": spec.kind, "signals": spec.signals, "window": spec.window,
                "hyperparameters": spec.hyperparameters}


def build_model(spec: ModelSpec) -> nn.Module:
    spec = spec.resolved()
    cls = KINDS[spec.kind][0]
    return cls(spec.signals, spec.window, **spec.hyperparameters)


def count_parameters(model: nn.Module) -> int:
    return int(sum(p.numel() for p in model.parameters()))
