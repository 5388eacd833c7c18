"""Seismo training pipeline: builds the ONNX anomaly models the sidecar and browser run."""

__version__ = "0.1.0"
