"""Voice tests: the rate limit of the opinion book lives in the cache, so each test starts with an empty one."""
import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()
