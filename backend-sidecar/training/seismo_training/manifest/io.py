"""Reading and writing manifest.json; every write is validated first."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import SeismoTrainingError
from .validate import validate_manifest

MANIFEST_FILE = "manifest.json"


def write_manifest(model_dir: Path, manifest: dict) -> Path:
    validate_manifest(manifest, model_dir)
    path = Path(model_dir) / MANIFEST_FILE
    # allow_nan=False: NaN/Infinity are not JSON and would break the Node and browser readers.
    path.write_text(json.dumps(manifest, indent=2, allow_nan=False) + "\n")
    return path


def read_manifest(model_dir: Path) -> dict:
    path = Path(model_dir) / MANIFEST_FILE
    if not path.is_file():
        raise SeismoTrainingError(f"{model_dir}: no {MANIFEST_FILE} found")
    manifest = json.loads(path.read_text())
    validate_manifest(manifest, Path(model_dir))
    return manifest
