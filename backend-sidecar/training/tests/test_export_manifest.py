import copy
import json

import numpy as np
import onnx
import pytest
import torch

from seismo_training.artifacts import save_model
from seismo_training.errors import ManifestError
from seismo_training.export.onnx_reference import evaluate
from seismo_training.manifest.io import read_manifest
from seismo_training.manifest.validate import validate_manifest
from seismo_training.pipeline import train

from .helpers import fast_options, frames


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """One tiny model per architecture, trained for a few epochs and exported."""
    torch.set_num_threads(1)
    out = {}
    for arch in ("conv", "dense", "lstm"):
        trained = train(frames(), fast_options(arch, epochs=2))
        directory = tmp_path_factory.mktemp(arch)
        manifest = save_model(trained, directory, units={"latency_p95": "seconds"})
        out[arch] = (trained, directory, manifest)
    return out


@pytest.mark.parametrize("arch", ["conv", "dense", "lstm"])
def test_onnx_passes_checker_with_dynamic_batch_and_contract_names(exported, arch):
    _, directory, manifest = exported[arch]
    model = onnx.load(str(directory / "model.onnx"))
    onnx.checker.check_model(model)
    assert max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")) <= 17
    (graph_input,), (graph_output,) = model.graph.input, model.graph.output
    assert (graph_input.name, graph_output.name) == ("windows", "reconstruction")
    for value in (graph_input, graph_output):
        dims = value.type.tensor_type.shape.dim
        assert dims[0].dim_param == "batch" and dims[0].dim_value == 0
        assert [d.dim_value for d in dims[1:]] == [3, 8]
    assert manifest["input"]["shape"] == [-1, 3, 8]


@pytest.mark.parametrize("arch", ["conv", "dense", "lstm"])
def test_onnx_graph_computes_what_torch_computes_at_any_batch_size(exported, arch):
    trained, directory, _ = exported[arch]
    graph = onnx.load(str(directory / "model.onnx"))
    windows = trained.data.calibration
    for batch in (1, 4, 11):
        x = windows[:batch]
        expected = trained.model(torch.from_numpy(x)).detach().numpy()
        got = evaluate(graph, {"windows": x})["reconstruction"]
        assert got.shape == (batch, 3, 8)
        np.testing.assert_allclose(got, expected, atol=1e-5)


def test_manifest_validates_and_records_provenance(exported):
    trained, directory, manifest = exported["conv"]
    assert read_manifest(directory) == manifest  # re-validates schema, rules and sha256
    assert manifest["signals"][0] == {"name": "latency_p95", "unit": "seconds"}
    assert manifest["signals"][1]["unit"] == "unknown"
    assert set(manifest["normalisation"]["per_entity"]) == {"checkout", "cart"}
    training = manifest["training"]
    assert training["seed"] == 0 and training["epochs"]["run"] == 2
    assert training["time_range"]["start"] == "2023-11-14T22:13:20Z"
    assert training["versions"]["torch"] == torch.__version__
    assert training["rows"] == 1200 and training["base_model"] is None
    assert manifest["entity"] is None
    assert manifest["checkpoint"]["file"] == "weights.pt"


def test_validation_catches_tampering(exported, tmp_path):
    _, directory, manifest = exported["conv"]
    broken = copy.deepcopy(manifest)
    broken["input"]["shape"] = [-1, 4, 8]
    with pytest.raises(ManifestError, match="input.shape"):
        validate_manifest(broken)
    broken = copy.deepcopy(manifest)
    broken["calibration"]["quantiles"][5] = broken["calibration"]["quantiles"][4]
    with pytest.raises(ManifestError, match="strictly increasing"):
        validate_manifest(broken)
    broken = copy.deepcopy(manifest)
    del broken["normalisation"]["per_entity"]["cart"]["error_ratio"]
    with pytest.raises(ManifestError, match="per_entity.cart"):
        validate_manifest(broken)
    copy_dir = tmp_path / "copy"
    copy_dir.mkdir()
    (copy_dir / "model.onnx").write_bytes((directory / "model.onnx").read_bytes() + b"x")
    (copy_dir / "weights.pt").write_bytes((directory / "weights.pt").read_bytes())
    (copy_dir / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ManifestError, match="sha256"):
        read_manifest(copy_dir)
