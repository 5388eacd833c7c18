"""Manifest validation: the JSON Schema plus the rules a schema cannot express."""

from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache
from pathlib import Path

from ..errors import ManifestError
from .json_schema import Validator

# models/ sits beside training/ in backend-sidecar/, and the schema lives with the models.
SCHEMA_PATH = Path(__file__).resolve().parents[3] / "models" / "manifest.schema.json"


@lru_cache(maxsize=4)
def _validator(schema_path: str) -> Validator:
    return Validator(json.loads(Path(schema_path).read_text()))


def semantic_problems(manifest: dict) -> list[str]:
    problems = []
    signals = [s["name"] for s in manifest["signals"]]
    window = manifest["window"]["length"]
    expected_shape = [-1, len(signals), window]
    if len(set(signals)) != len(signals):
        problems.append(f"signal names repeat: {signals}")
    for side in ("input", "output"):
        if manifest[side]["shape"] != expected_shape:
            problems.append(f"{side}.shape {manifest[side]['shape']} != {expected_shape}")
    arch = manifest["architecture"]
    if arch["kind"] != manifest["kind"]:
        problems.append("architecture.kind differs from kind")
    if (arch["signals"], arch["window"]) != (len(signals), window):
        problems.append("architecture signals/window differ from signals/window")
    norm = manifest["normalisation"]
    blocks = {"default": norm["default"], **{f"per_entity.{e}": b for e, b in norm["per_entity"].items()}}
    for name, block in blocks.items():
        if sorted(block) != sorted(signals):
            problems.append(f"normalisation.{name} covers {sorted(block)}, expected {sorted(signals)}")
    if "default" in norm["per_entity"]:
        problems.append("normalisation.per_entity must not contain the reserved entity 'default'")
    unknown_floors = sorted(set(norm["signal_floors"]) - set(signals))
    if unknown_floors:
        problems.append(f"normalisation.signal_floors names unknown signals {unknown_floors}")
    if manifest["entity"] is not None and manifest["entity"] not in norm["per_entity"]:
        problems.append(f"entity {manifest['entity']!r} has no normalisation entry")
    cal = manifest["calibration"]
    levels, quantiles = cal["levels"], cal["quantiles"]
    if len(levels) != len(quantiles):
        problems.append("calibration levels and quantiles differ in length")
    if levels and (levels[0] != 0 or levels[-1] != 1):
        problems.append("calibration levels must run from 0 to 1")
    for name, seq in (("levels", levels), ("quantiles", quantiles)):
        if any(b <= a for a, b in zip(seq, seq[1:])):
            problems.append(f"calibration {name} must be strictly increasing")
    if not math.isfinite(cal["threshold"]):
        problems.append("calibration threshold must be finite")
    error = manifest["error"]
    if error["reduction"] == "mean_absolute_scaled_residual":
        if "steps" not in error or "residual_scale" not in error:
            problems.append("error: mean_absolute_scaled_residual needs steps and residual_scale")
        else:
            if error["steps"] > window:
                problems.append(f"error.steps {error['steps']} exceeds window.length {window}")
            if sorted(error["residual_scale"]) != sorted(signals):
                problems.append("error.residual_scale must have one entry per signal")
    elif "steps" in error or "residual_scale" in error:
        problems.append("error.steps and error.residual_scale only apply to mean_absolute_scaled_residual")
    base = manifest["training"]["base_model"]
    if (base is None) != (manifest["entity"] is None):
        problems.append("a fine-tuned model needs both entity and training.base_model, a shared one neither")
    return problems


def file_problems(manifest: dict, model_dir: Path) -> list[str]:
    problems = []
    for key in ("onnx", "checkpoint"):
        entry = manifest.get(key)
        if not entry:
            continue
        path = model_dir / entry["file"]
        if not path.is_file():
            problems.append(f"{key} file {entry['file']} missing next to the manifest")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            problems.append(f"{key} file {entry['file']} does not match its sha256")
        if key == "onnx" and len(data) != entry["size_bytes"]:
            problems.append(f"onnx file size {len(data)} != size_bytes {entry['size_bytes']}")
    return problems


def validate_manifest(manifest: dict, model_dir: Path | None = None,
                      schema_path: Path = SCHEMA_PATH) -> None:
    """Raise ManifestError listing every problem found."""
    problems = _validator(str(schema_path)).errors(manifest)
    if not problems:  # semantic rules assume the structure is right
        problems = semantic_problems(manifest)
    if not problems and model_dir is not None:
        problems = file_problems(manifest, Path(model_dir))
    if problems:
        raise ManifestError(problems)
