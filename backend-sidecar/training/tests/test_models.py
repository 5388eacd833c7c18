import pytest
import torch

from seismo_training.models import ModelSpec, build_model, count_parameters


@pytest.mark.parametrize("arch", ["conv", "dense", "lstm"])
@pytest.mark.parametrize("batch", [1, 5])
def test_forward_keeps_the_batch_signals_window_shape(arch, batch):
    model = build_model(ModelSpec(arch, signals=7, window=16))
    out = model(torch.randn(batch, 7, 16))
    assert out.shape == (batch, 7, 16)
    assert count_parameters(model) > 0
    assert hasattr(model, "encoder") and hasattr(model, "decoder")


def test_autoencoders_have_a_bottleneck():
    # The latent representation must be smaller than the input or the model could copy it.
    x = torch.randn(2, 38, 32)
    for arch in ("conv", "dense", "lstm"):
        model = build_model(ModelSpec(arch, 38, 32))
        assert model.encoder(x).numel() < x.numel() / 8, arch


def test_conv_rejects_windows_it_cannot_halve():
    with pytest.raises(ValueError, match="divisible by 4"):
        build_model(ModelSpec("conv", 3, 30))


def test_unknown_architecture_and_hyperparameter_are_rejected():
    with pytest.raises(ValueError, match="unknown architecture"):
        build_model(ModelSpec("transformer", 3, 32))
    with pytest.raises(ValueError, match="unknown hyperparameters"):
        build_model(ModelSpec("dense", 3, 32, {"depth": 3}))
