"""Issue 16: the settings page lists every parameter in a fixed, small number of queries — also when the
parameters' cache has just expired (it used to run one query per parameter then: 56 on the demo)."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wealthdesk.core.params import DEFAULTS, get_param, set_param

pytestmark = pytest.mark.django_db


def _count(client, *, cold: bool) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/core/settings/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_settings_page_reads_the_parameters_in_one_query(world, login_as):
    client = login_as("hq_service")
    client.get("/core/settings/")
    warm = _count(client, cold=False)
    cold = _count(client, cold=True)
    assert cold - warm <= 4, (cold, warm)  # the session, the user, their roles, the parameters — not one per key
    assert len(DEFAULTS) > 20


def test_get_params_reads_what_get_param_reads(world):
    from wealthdesk.core.params import get_params

    key = sorted(DEFAULTS)[0]
    set_param(key, DEFAULTS[key][0])
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        values = get_params(DEFAULTS)
    assert len(ctx.captured_queries) == 1
    assert values == {k: get_param(k) for k in DEFAULTS}
    with CaptureQueriesContext(connection) as ctx:
        assert get_params(DEFAULTS) == values
    assert len(ctx.captured_queries) == 0
