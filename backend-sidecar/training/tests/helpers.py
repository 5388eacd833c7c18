"""Small, fast building blocks shared by the tests."""

from seismo_training.data import synthetic
from seismo_training.fit import FitOptions
from seismo_training.pipeline import TrainOptions
from seismo_training.preprocessing.dataset import WindowOptions


def fast_options(arch: str = "conv", seed: int = 0, epochs: int = 3, **fit) -> TrainOptions:
    return TrainOptions(
        arch=arch,
        hyperparameters={"conv": {"hidden": [8, 4], "latent_channels": 2, "kernel": 3},
                         "dense": {"hidden": [16], "latent": 4},
                         "lstm": {"hidden": 8, "latent": 4}}[arch],
        windows=WindowOptions(window=8, stride=2, max_gap=3),
        fit=FitOptions(epochs=epochs, patience=10, batch_size=32, **fit),
        seed=seed,
    )


def frames(rows: int = 600):
    return [synthetic.service_frame("checkout", rows, 1), synthetic.service_frame("cart", rows, 2, level=0.5)]


def write_csv(path, header, rows):
    lines = [",".join(header)] if header else []
    lines += [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path
