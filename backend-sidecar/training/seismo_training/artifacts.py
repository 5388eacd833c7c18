"""Write a trained model as a model directory: model.onnx, weights.pt, manifest.json."""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from datetime import datetime, timezone
from pathlib import Path

import torch

from .data.timeparse import format_timestamp
from .export.onnx_export import export_onnx
from .manifest.build import ArtifactFiles, build_manifest
from .manifest.io import write_manifest
from .models import count_parameters, short_name
from .pipeline import TrainedModel
from .provenance import git_commit, utc_now, versions

ONNX_FILE = "model.onnx"
CHECKPOINT_FILE = "weights.pt"


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def default_model_id(kind: str, entity: str | None) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    scope = re.sub(r"[^A-Za-z0-9._-]+", "-", entity) if entity else "shared"
    return f"{short_name(kind)}-ae-{scope}-{stamp}"[:128]


def _without_credentials(url: str) -> str:
    """Manifests are shipped; a user:password in the Prometheus URL must not be."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def describe_source(frames) -> dict:
    first = frames[0].source
    kind = first.get("type", "synthetic")
    if kind == "csv":
        return {"type": "csv", "files": [
            {"name": f.source["name"], "sha256": f.source["sha256"], "rows": f.source["rows"],
             "entity": f.entity} for f in frames]}
    if kind == "prometheus":
        return {"type": "prometheus", "url": _without_credentials(first["name"]), "queries": first["queries"],
                "entity_label": first["entity_label"], "step_seconds": frames[0].step_seconds}
    described = {"type": kind, "frames": [{k: v for k, v in {**f.source, "entity": f.entity}.items() if k != "note"}
                                          for f in frames]}
    if "note" in first:
        described["note"] = first["note"]  # once, not per frame
    return described


def _time_range(frames) -> dict:
    starts = [f.start for f in frames if f.start is not None]
    ends = [f.end for f in frames if f.end is not None]
    return {"start": format_timestamp(min(starts)) if starts else None,
            "end": format_timestamp(max(ends)) if ends else None}


def training_section(trained: TrainedModel, base_model: dict | None) -> dict:
    options, data, history = trained.options, trained.data, trained.history
    return {
        "data_source": describe_source(trained.frames),
        "entities": [f.entity for f in trained.frames],
        "time_range": _time_range(trained.frames),
        "rows": data.counts["rows"],
        "windows": {"fit": len(data.fit), "validation": len(data.validation),
                    "calibration": len(data.calibration)},
        "split": {"validation": options.fractions.validation,
                  "calibration": options.fractions.calibration},
        "stride": options.windows.stride,
        "seed": options.seed,
        "epochs": {"max": options.fit.epochs, "run": history.epochs_run, "best": history.best_epoch},
        "optimizer": {"name": "adam", "learning_rate": options.fit.learning_rate,
                      "batch_size": options.fit.batch_size, "patience": options.fit.patience,
                      "min_delta": options.fit.min_delta},
        "loss": "mse",
        "history": history.to_json(),
        "git_commit": git_commit(),
        "versions": versions(),
        "created": utc_now(),
        "base_model": base_model,
    }


def save_model(trained: TrainedModel, out_dir: Path, *, units: dict[str, str],
               model_id: str | None = None, entity: str | None = None,
               base_model: dict | None = None, checkpoint: bool = True,
               training_override: dict | None = None) -> dict:
    """Export and describe the model; returns the validated manifest."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    spec = trained.spec
    onnx_info = export_onnx(trained.model, spec.signals, spec.window, out_dir / ONNX_FILE)
    checkpoint_sha = None
    if checkpoint:
        torch.save({"spec": spec.to_json(), "state_dict": trained.model.state_dict()},
                   out_dir / CHECKPOINT_FILE)
        checkpoint_sha = _sha256(out_dir / CHECKPOINT_FILE)
    elif (out_dir / CHECKPOINT_FILE).exists():
        (out_dir / CHECKPOINT_FILE).unlink()  # a stale checkpoint would not match this model
    files = ArtifactFiles(ONNX_FILE, _sha256(out_dir / ONNX_FILE),
                          CHECKPOINT_FILE if checkpoint else None, checkpoint_sha)
    training = training_section(trained, base_model)
    training.update(training_override or {})
    manifest = build_manifest(
        model_id=model_id or default_model_id(spec.kind, entity),
        architecture=spec.to_json(), parameters=count_parameters(trained.model),
        onnx_info=onnx_info, files=files, units=units, step_seconds=trained.step_seconds,
        max_gap=trained.options.windows.max_gap, normalisation=trained.data.normalisation,
        calibration=trained.calibration, training=training, entity=entity, error=trained.error,
    )
    write_manifest(out_dir, manifest)
    return manifest
