"""Reproducibility: one seed drives Python, NumPy and torch; torch uses deterministic kernels."""

from __future__ import annotations

import random

import numpy as np
import torch


def seed_everything(seed: int) -> torch.Generator:
    """Seed every library RNG and return a dedicated generator for data shuffling.

    The libraries' own RNGs are process-wide, so they are reset here at the start of each run
    rather than relied on between runs; shuffling uses its own generator so it does not
    depend on how many random numbers weight initialisation consumed.
    """
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)
    # warn_only: a kernel without a deterministic variant should not abort a training run.
    torch.use_deterministic_algorithms(True, warn_only=True)
    generator = torch.Generator()
    generator.manual_seed(seed)
    return generator
