"""Autoencoders mapping windows [N, signals, window] to a reconstruction of the same shape."""

from .registry import KINDS, ModelSpec, build_model, count_parameters, short_name

__all__ = ["KINDS", "ModelSpec", "build_model", "count_parameters", "short_name"]
