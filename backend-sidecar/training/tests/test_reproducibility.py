from dataclasses import replace

import torch

from seismo_training.fit import mean_loss
from seismo_training.pipeline import same_weights, train

from .helpers import fast_options, frames


def test_same_seed_gives_identical_losses_weights_and_calibration():
    data = frames(400)
    first = train(data, fast_options("conv", seed=3))
    second = train(data, fast_options("conv", seed=3))
    assert first.history.train_loss == second.history.train_loss
    assert first.history.validation_loss == second.history.validation_loss
    assert same_weights(first.model, second.model)
    assert first.calibration.quantiles.tolist() == second.calibration.quantiles.tolist()


def test_different_seed_gives_different_weights():
    data = frames(400)
    first = train(data, fast_options("conv", seed=3, epochs=1))
    other = train(data, fast_options("conv", seed=4, epochs=1))
    assert not same_weights(first.model, other.model)


def test_early_stopping_restores_the_best_epoch():
    # A learning rate this large makes validation loss rise, so training stops early.
    options = fast_options("dense", epochs=12, learning_rate=0.5)
    options = replace(options, fit=replace(options.fit, patience=2))
    trained = train(frames(400), options)
    history = trained.history
    assert history.stopped_early and history.epochs_run < 12
    best = min(history.validation_loss)
    assert history.validation_loss[history.best_epoch - 1] == best
    # The returned model is the best epoch's, not the last one's.
    assert abs(mean_loss(trained.model, trained.data.validation, 64) - best) < 1e-5 * max(1.0, best)
    assert torch.get_num_threads() == 1
