"""Fixtures shared by every app's tests: the personas world, API clients, and the browser."""
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property tests judge behaviour, not speed: a busy CI machine must not fail them on Hypothesis' timing checks.
from hypothesis import HealthCheck, settings

settings.register_profile("wealthdesk", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("wealthdesk")

# Two-factor sign-in (issue 15): ``client.force_login`` also passes the TOTP step, so every test that signs in
# with it (``login_as`` too) keeps working; a password-only session comes from posting the login form.
from wealthdesk.core.testing.twofactor import patch_force_login  # noqa: E402

patch_force_login()


@pytest.fixture(autouse=True)
def _chinese_first():
    """Every test starts in the site's language (Chinese), whatever language an earlier test switched to."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Parameters and rate limits live in the cache: every test starts without another test's values."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


_DB_FIXTURES = {"db", "transactional_db", "live_server", "world", "page"}


@pytest.fixture(autouse=True)
def _migration_data(request, django_db_blocker):
    """The working-day calendar (core 0004) and the default alert rules (alerts 0002) are data migrations load. A
    live-server or transactional test flushes every table when it ends, migration data included, and xdist's
    --dist loadfile may run such a file before others on the same worker: put that data back before any test that
    uses the database."""
    if not (_DB_FIXTURES & set(request.fixturenames) or request.node.get_closest_marker("django_db")):
        yield
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        from wealthdesk.core.calendar import clear_cache, seed_calendar
        from wealthdesk.core.models import CalendarDay

        if not CalendarDay.objects.exists():
            seed_calendar()
            clear_cache()
        from wealthdesk.alerts.models import AlertRule
        from wealthdesk.alerts.rules import ensure_default_rules

        if not AlertRule.objects.exists():
            ensure_default_rules(AlertRule)
    yield


@pytest.fixture
def world(db):
    from wealthdesk.core.testing.world import build_world

    return build_world()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_as(world):
    """``api_as("cm_c1_1")`` → an APIClient authenticated with that persona's token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(name):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=world.users[name])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def login_as(client, world):
    """``login_as("head_c1")`` → the Django test client logged in as that persona."""

    def make(name):
        client.logout()
        client.force_login(world.users[name])
        return client

    return make


from wealthdesk.core.testing.browser import browser, page, restore_language  # noqa: E402,F401  (shared fixtures)
