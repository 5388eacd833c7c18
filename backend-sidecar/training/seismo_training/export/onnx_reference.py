"""A small NumPy interpreter for the ONNX ops our exported autoencoders contain.

No ONNX runtime is available to the training environment, so this evaluates the exported
graph independently of torch (float64 arithmetic) to prove the file computes what the
torch model computes, at any batch size. Ops outside the supported set raise, so a new
architecture cannot silently pass unchecked.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import numpy_helper


def _attrs(node) -> dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _float(x: np.ndarray) -> np.ndarray:
    return x.astype(np.float64) if x.dtype.kind == "f" else x


def _conv(x, w, b=None, *, strides=(1,), pads=(0, 0), dilations=(1,), group=1, kernel_shape=None):
    if x.ndim != 3 or group != 1:
        raise NotImplementedError("only 1-D, ungrouped Conv is supported")
    s, d = strides[0], dilations[0]
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[1])))
    k = w.shape[2]
    length = (x.shape[2] - d * (k - 1) - 1) // s + 1
    cols = np.stack([x[:, :, i * d: i * d + s * (length - 1) + 1: s] for i in range(k)])  # [K,N,C,L]
    y = np.einsum("ock,kncl->nol", w, cols)
    return y + b[None, :, None] if b is not None else y


def _conv_transpose(x, w, b=None, *, strides=(1,), pads=(0, 0), dilations=(1,), group=1,
                    output_padding=(0,), kernel_shape=None):
    if x.ndim != 3 or group != 1:
        raise NotImplementedError("only 1-D, ungrouped ConvTranspose is supported")
    s, d, k = strides[0], dilations[0], w.shape[2]
    length = x.shape[2]
    full = s * (length - 1) + output_padding[0] + (k - 1) * d + 1
    y = np.zeros((x.shape[0], w.shape[1], full))
    for i in range(k):
        y[:, :, i * d: i * d + s * (length - 1) + 1: s] += np.einsum("ncl,co->nol", x, w[:, :, i])
    y = y[:, :, pads[0]: full - pads[1]]
    return y + b[None, :, None] if b is not None else y


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _lstm(x, w, r, b=None, seq_lens=None, h0=None, c0=None, *, hidden_size, direction="forward",
          layout=0, **unused):
    if direction != "forward" or layout != 0:
        raise NotImplementedError("only forward, seq-major LSTM is supported")
    if seq_lens is not None and seq_lens.size and np.any(seq_lens != x.shape[0]):
        raise NotImplementedError("variable sequence lengths are not supported")
    steps, batch, _ = x.shape
    h = np.zeros((batch, hidden_size)) if h0 is None else h0[0]
    c = np.zeros((batch, hidden_size)) if c0 is None else c0[0]
    bias = np.zeros(8 * hidden_size) if b is None else b[0]
    bias = bias[: 4 * hidden_size] + bias[4 * hidden_size:]
    outputs = []
    for t in range(steps):
        gates = x[t] @ w[0].T + h @ r[0].T + bias
        i, o, f, g = np.split(gates, 4, axis=1)  # ONNX gate order: input, output, forget, cell
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        outputs.append(h)
    y = np.stack(outputs)[:, None]  # [steps, directions, batch, hidden]
    return y, h[None], c[None]


def _reshape(x, shape, allowzero=0):
    shape = [x.shape[i] if (v == 0 and not allowzero) else int(v) for i, v in enumerate(shape)]
    return x.reshape(shape)


def _expand(x, shape):
    return x * np.ones(tuple(int(v) for v in shape), dtype=x.dtype)


def _gemm(a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
    y = alpha * ((a.T if transA else a) @ (b.T if transB else b))
    return y + beta * c if c is not None else y


def _const_of_shape(shape, value=None):
    fill = numpy_helper.to_array(value) if value is not None else np.zeros(1, dtype=np.float32)
    return np.full(tuple(int(v) for v in shape), fill.reshape(-1)[0], dtype=fill.dtype)


def _run(node, inputs: list, attrs: dict):
    op = node.op_type
    if op == "Conv":
        return _conv(*inputs, **attrs)
    if op == "ConvTranspose":
        return _conv_transpose(*inputs, **attrs)
    if op == "LSTM":
        return _lstm(*inputs, **attrs)
    if op == "Gemm":
        return _gemm(*inputs, **attrs)
    if op == "Relu":
        return np.maximum(inputs[0], 0)
    if op == "Sigmoid":
        return _sigmoid(inputs[0])
    if op == "Tanh":
        return np.tanh(inputs[0])
    if op == "Add":
        return inputs[0] + inputs[1]
    if op == "Mul":
        return inputs[0] * inputs[1]
    if op == "MatMul":
        return inputs[0] @ inputs[1]
    if op == "Identity":
        return inputs[0]
    if op == "Constant":
        return _float(numpy_helper.to_array(attrs["value"]))
    if op == "Flatten":
        axis = attrs.get("axis", 1)
        return inputs[0].reshape(int(np.prod(inputs[0].shape[:axis])), -1)
    if op == "Reshape":
        return _reshape(inputs[0], inputs[1], attrs.get("allowzero", 0))
    if op == "Transpose":
        return np.transpose(inputs[0], attrs.get("perm"))
    if op == "Shape":
        return np.array(inputs[0].shape, dtype=np.int64)
    if op == "Gather":
        return np.take(inputs[0], inputs[1], axis=attrs.get("axis", 0))
    if op == "Unsqueeze":
        out = inputs[0]
        for axis in sorted(int(a) % (out.ndim + len(inputs[1])) for a in inputs[1]):
            out = np.expand_dims(out, axis)
        return out
    if op == "Squeeze":
        return np.squeeze(inputs[0], axis=tuple(int(a) for a in inputs[1])) if len(inputs) > 1 else np.squeeze(inputs[0])
    if op == "Concat":
        return np.concatenate([np.atleast_1d(i) for i in inputs], axis=attrs["axis"])
    if op == "ConstantOfShape":
        return _const_of_shape(inputs[0], attrs.get("value"))
    if op == "Expand":
        return _expand(inputs[0], inputs[1])
    if op == "Equal":
        return np.equal(inputs[0], inputs[1])
    if op == "Where":
        return np.where(inputs[0], inputs[1], inputs[2])
    raise NotImplementedError(f"ONNX op {op} is not supported by the reference evaluator")


def evaluate(model: onnx.ModelProto | bytes | str, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    if not isinstance(model, onnx.ModelProto):
        model = onnx.load_from_string(model) if isinstance(model, bytes) else onnx.load(model)
    values: dict[str, np.ndarray | None] = {"": None}
    for init in model.graph.initializer:
        values[init.name] = _float(numpy_helper.to_array(init))
    for name, array in feeds.items():
        values[name] = _float(np.asarray(array))
    for node in model.graph.node:  # ONNX requires nodes in topological order
        inputs = [values[name] for name in node.input]
        # Trailing empty inputs are optional ones; keep positions for the ones in between.
        while inputs and inputs[-1] is None and node.input and node.input[len(inputs) - 1] == "":
            inputs.pop()
        result = _run(node, inputs, _attrs(node))
        outputs = result if isinstance(result, tuple) else (result,)
        for name, value in zip(node.output, outputs):
            if name:
                values[name] = value
    return {out.name: values[out.name] for out in model.graph.output}
