import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_params_cache():
    """Parameters are cached for a minute; a test that sets one must not leak it into the next."""
    cache.clear()
    yield
    cache.clear()
