"""Assemble the manifest dictionary from the pieces a training run produced."""

from __future__ import annotations

from dataclasses import dataclass

from ..calibration import Calibration
from ..export.onnx_export import INPUT_NAME, OUTPUT_NAME, OnnxInfo
from ..preprocessing.normalisation import Normalisation
from ..scoring import ErrorSpec

FORMAT_VERSION = 1
_LAYOUT = {"dtype": "float32", "layout": "NCW", "axes": ["batch", "signal", "time"]}


@dataclass(frozen=True)
class ArtifactFiles:
    onnx_file: str
    onnx_sha256: str
    checkpoint_file: str | None
    checkpoint_sha256: str | None


def build_manifest(*, model_id: str, architecture: dict, parameters: int, onnx_info: OnnxInfo,
                   files: ArtifactFiles, units: dict[str, str], step_seconds: float,
                   max_gap: int, normalisation: Normalisation, calibration: Calibration,
                   training: dict, entity: str | None, error: ErrorSpec = ErrorSpec()) -> dict:
    signals = list(normalisation.signals)
    shape = [-1, len(signals), architecture["window"]]
    return {
        "format_version": FORMAT_VERSION,
        "model_id": model_id,
        "kind": architecture["kind"],
        "entity": entity,
        "architecture": {**architecture, "parameters": parameters},
        "onnx": {
            "file": files.onnx_file, "sha256": files.onnx_sha256, "size_bytes": onnx_info.size_bytes,
            "opset": onnx_info.opset, "ir_version": onnx_info.ir_version,
        },
        "checkpoint": (
            {"file": files.checkpoint_file, "sha256": files.checkpoint_sha256}
            if files.checkpoint_file else None
        ),
        "input": {"name": INPUT_NAME, "shape": shape, **_LAYOUT},
        "output": {"name": OUTPUT_NAME, "shape": shape, **_LAYOUT},
        "signals": [{"name": s, "unit": units.get(s, "unknown")} for s in signals],
        "window": {"length": architecture["window"], "step_seconds": step_seconds, "newest_last": True},
        "missing_data": {
            "max_gap_steps": max_gap,
            "policy": "interpolate interior gaps of at most max_gap_steps linearly; "
                      "a window with any other missing sample is not scored (state unknown)",
        },
        "normalisation": normalisation.to_manifest(),
        "error": error.to_manifest(tuple(signals)),
        "calibration": calibration.to_manifest(),
        "training": training,
    }
