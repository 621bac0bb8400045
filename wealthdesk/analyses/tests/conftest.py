import pytest

from .fixtures import build


@pytest.fixture
def fx(world):
    return build(world)
