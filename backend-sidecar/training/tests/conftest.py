import pytest
import torch


@pytest.fixture(autouse=True)
def single_thread():
    # The suite shares two cores with other work; one thread also makes training bit-exact.
    torch.set_num_threads(1)
    yield
