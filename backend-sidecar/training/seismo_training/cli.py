"""Command line: python -m seismo_training <train|finetune|compare|fetch|golden|validate>.

Heavy modules (torch, onnx) are imported inside the command handlers so `--help` is instant.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import logging
import sys
from pathlib import Path

from .cli_args import add_data_args, add_model_args, duration_seconds
from .errors import SeismoTrainingError

log = logging.getLogger("seismo_training")


def _set_threads(count: int) -> None:
    import torch

    torch.set_num_threads(max(1, count))


def _summary(manifest: dict, out_dir: Path) -> str:
    training = manifest["training"]
    return (f"wrote {out_dir}/model.onnx + manifest.json: {manifest['model_id']} "
            f"({manifest['kind']}, {manifest['architecture']['parameters']:,} parameters), "
            f"epochs {training['epochs']['run']} (best {training['epochs']['best']}), "
            f"threshold {manifest['calibration']['threshold']:.6g}")


def cmd_train(args: argparse.Namespace) -> int:
    from .artifacts import save_model
    from .cli_args import parse_units, train_options
    from .data.loading import load_frames
    from .pipeline import train

    _set_threads(args.threads)
    frames = load_frames(args)
    trained = train(frames, train_options(args))
    units = parse_units(args.unit, trained.data.normalisation.signals)
    if args.synthetic_mesh:
        from .data.synthetic import MESH_UNITS

        units = {**MESH_UNITS, **units}
    manifest = save_model(trained, Path(args.out), units=units, model_id=args.model_id,
                          checkpoint=not args.no_checkpoint)
    print(_summary(manifest, Path(args.out)))
    return 0


def cmd_finetune(args: argparse.Namespace) -> int:
    from .cli_args import train_options
    from .data.loading import load_frames
    from .finetune import FinetuneOptions, finetune_to_dir

    _set_threads(args.threads)
    frames = load_frames(args)
    if args.data and len(frames) == 1:
        # One file is one entity: it is the entity being fine-tuned whatever the file is called.
        frames = [dataclasses.replace(frames[0], entity=args.entity)]
    chosen = [f for f in frames if f.entity == args.entity]
    if len(chosen) != 1:
        raise SeismoTrainingError(
            f"fine-tuning needs data for exactly one entity named {args.entity!r}; "
            f"found {[f.entity for f in frames]}")
    options = FinetuneOptions(epochs=args.epochs, patience=args.patience, learning_rate=args.lr,
                              freeze_encoder=args.freeze_encoder, normalisation=args.normalisation,
                              stride=args.stride, seed=args.seed)
    manifest = finetune_to_dir(Path(args.base), chosen[0], options, train_options(args),
                               Path(args.out), model_id=args.model_id)
    print(_summary(manifest, Path(args.out)) + f"; base {manifest['training']['base_model']['model_id']}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .cli_args import train_options
    from .evaluation.cases import load_case, smd_cases
    from .evaluation.compare import CompareOptions, compare, markdown_table, summarise

    _set_threads(args.threads)
    if args.smd_dir:
        cases = smd_cases(Path(args.smd_dir), [m.strip() for m in args.machines.split(",") if m.strip()])
    elif args.train_file and args.test_file and args.labels:
        cases = [load_case(args.case_name, Path(args.train_file), Path(args.test_file), Path(args.labels),
                           args.step_seconds)]
    else:
        raise SeismoTrainingError("compare needs --smd-dir, or --train-file, --test-file and --labels")
    options = CompareOptions(tuple(a.strip() for a in args.archs.split(",")), train_options(args))
    rows = compare(cases, options)
    table = markdown_table(rows + summarise(rows))
    print(table)
    if args.out_json:
        Path(args.out_json).write_text(json.dumps({"rows": rows, "mean": summarise(rows)}, indent=2) + "\n")
    if args.out_markdown:
        Path(args.out_markdown).write_text(table + "\n")
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    import numpy as np

    from .data.loading import load_prometheus_frames

    frames = load_prometheus_frames(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for frame in frames:
        stamps = frame.start + np.arange(frame.rows) * frame.step_seconds
        table = np.column_stack([stamps, frame.values])
        path = out / (re.sub(r"[^A-Za-z0-9._-]+", "_", frame.entity) + ".csv")
        np.savetxt(path, table, delimiter=",", header=",".join(("timestamp",) + frame.signals),
                   comments="", fmt="%.10g")
        print(f"wrote {path} ({frame.rows} rows)")
    return 0


def cmd_golden(args: argparse.Namespace) -> int:
    from .golden import write_golden

    manifest = write_golden(Path(args.out))
    print(_summary(manifest, Path(args.out)))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .manifest.io import read_manifest

    for directory in args.model_dirs:
        manifest = read_manifest(Path(directory))
        print(f"{directory}: valid ({manifest['model_id']})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m seismo_training",
                                     description="Train, fine-tune, compare and export Seismo anomaly models.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every epoch")
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="train a model and write model.onnx + manifest.json")
    add_data_args(train)
    add_model_args(train)
    train.add_argument("--out", required=True, help="model directory to write")
    train.add_argument("--model-id", help="default: <arch>-ae-shared-<utc time>")
    train.add_argument("--no-checkpoint", action="store_true", help="do not write weights.pt (no fine-tuning later)")
    train.set_defaults(handler=cmd_train)

    fine = sub.add_parser("finetune", help="adapt a base model to one entity")
    fine.add_argument("--base", required=True, help="base model directory (with weights.pt)")
    fine.add_argument("--entity", required=True, help="entity (service) the new model is for")
    add_data_args(fine)
    add_model_args(fine, epochs=5)
    fine.set_defaults(lr=3e-4, patience=2)
    fine.add_argument("--freeze-encoder", action="store_true", help="train the decoder only")
    fine.add_argument("--normalisation", choices=["entity", "base"], default="entity",
                      help="learn the entity's own baseline (default) or reuse the base model's")
    fine.add_argument("--out", required=True)
    fine.add_argument("--model-id")
    fine.set_defaults(handler=cmd_finetune)

    comp = sub.add_parser("compare", help="train every architecture on labelled cases; quality and cost table")
    comp.add_argument("--smd-dir", help="folder with SMD <machine>_{train,test,test_label}.csv.gz")
    comp.add_argument("--machines", default="machine-1-6,machine-2-1,machine-3-3")
    comp.add_argument("--train-file")
    comp.add_argument("--test-file")
    comp.add_argument("--labels", help="one 0/1 label per test row")
    comp.add_argument("--case-name", default="case")
    comp.add_argument("--step-seconds", type=duration_seconds, default=60.0)
    comp.add_argument("--archs", default="conv,dense,lstm")
    # squared by default so the documented architecture comparison reproduces as published.
    add_model_args(comp, stride=8, epochs=6, error="squared")
    comp.add_argument("--out-json")
    comp.add_argument("--out-markdown")
    comp.set_defaults(handler=cmd_compare)

    fetch = sub.add_parser("fetch", help="fetch Prometheus data to one CSV per entity (resumable)")
    add_data_args(fetch)
    fetch.add_argument("--out", required=True)
    fetch.set_defaults(handler=cmd_fetch)

    gold = sub.add_parser("golden", help="write the golden model and its inputs/outputs")
    gold.add_argument("--out", default=str(Path(__file__).resolve().parents[2] / "models" / "golden"))
    gold.set_defaults(handler=cmd_golden)

    val = sub.add_parser("validate", help="validate model directories against the manifest schema")
    val.add_argument("model_dirs", nargs="+")
    val.set_defaults(handler=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.handler(args)
    except (SeismoTrainingError, argparse.ArgumentTypeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
