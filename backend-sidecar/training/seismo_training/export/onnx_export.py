"""Export a trained autoencoder to ONNX with a dynamic batch axis."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import onnx
import torch
from torch import nn

INPUT_NAME = "windows"
OUTPUT_NAME = "reconstruction"
BATCH_AXIS_NAME = "batch"
# onnxruntime-web and -node both implement every op these models use at this opset.
OPSET = 17


@dataclass(frozen=True)
class OnnxInfo:
    opset: int
    ir_version: int
    size_bytes: int
    ops: tuple[str, ...]


def export_onnx(model: nn.Module, signals: int, window: int, path: Path) -> OnnxInfo:
    model.eval()
    # Batch 2 rather than 1 so a constant batch of 1 cannot be folded into the graph.
    example = torch.zeros(2, signals, window)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # torch warns generically about LSTM and batch sizes; the dynamic batch is verified
        # numerically by the tests with batches of different sizes.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, example, buffer,
            opset_version=OPSET,
            input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
            dynamic_axes={INPUT_NAME: {0: BATCH_AXIS_NAME}, OUTPUT_NAME: {0: BATCH_AXIS_NAME}},
            do_constant_folding=True,
        )
    proto = onnx.load_from_string(buffer.getvalue())
    _declare_output_shape(proto, signals, window)
    data = proto.SerializeToString()
    onnx.checker.check_model(proto)
    check_io(proto, signals, window)
    Path(path).write_bytes(data)
    return OnnxInfo(OPSET, int(proto.ir_version), len(data),
                    tuple(sorted({n.op_type for n in proto.graph.node})))


def _dims(value_info) -> list:
    return [d.dim_param if d.dim_param else d.dim_value for d in value_info.type.tensor_type.shape.dim]


def _declare_output_shape(proto: onnx.ModelProto, signals: int, window: int) -> None:
    """torch leaves the non-batch output dims symbolic after a Reshape; the reconstruction
    always has the input's shape, so state it for consumers that read the declared shape."""
    dims = proto.graph.output[0].type.tensor_type.shape.dim
    for dim, value in zip(dims[1:], (signals, window)):
        if dim.dim_param or dim.dim_value == 0:
            dim.Clear()
            dim.dim_value = value


def check_io(proto: onnx.ModelProto, signals: int, window: int) -> None:
    """The contract the sidecar relies on: names, float32, [batch, signals, window]."""
    (graph_input,) = [i for i in proto.graph.input if i.name not in {t.name for t in proto.graph.initializer}]
    (graph_output,) = proto.graph.output
    expected = [BATCH_AXIS_NAME, signals, window]
    for value, name in ((graph_input, INPUT_NAME), (graph_output, OUTPUT_NAME)):
        if value.name != name:
            raise ValueError(f"ONNX tensor is named {value.name!r}, expected {name!r}")
        if value.type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
            raise ValueError(f"ONNX tensor {name!r} is not float32")
        if _dims(value) != expected:
            raise ValueError(f"ONNX tensor {name!r} has shape {_dims(value)}, expected {expected}")
