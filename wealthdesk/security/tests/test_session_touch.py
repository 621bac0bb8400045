"""Issue 16: the idle expiry slides without a session write on every request. A read-only page within the touch
interval (``WD_SESSION_TOUCH_SECONDS``) writes nothing; an older touch is saved (expiry now + 15 minutes); a session
idle longer than ``SESSION_COOKIE_AGE`` is gone."""
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wealthdesk.security.sessions import TOUCH_AT_KEY

pytestmark = pytest.mark.django_db

SIGNED_IN = "/security/recovery-codes/"  # any signed-in user: 200; signed out: 302


def session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")]


def test_a_read_only_page_within_the_touch_interval_does_not_write_the_session(world, login_as):
    client = login_as("head_c1")
    client.get(SIGNED_IN)  # the first page after sign-in may touch
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(SIGNED_IN).status_code == 200
    assert session_writes(ctx.captured_queries) == []


def test_a_touch_older_than_the_interval_slides_the_expiry(world, login_as):
    client = login_as("head_c1")
    session = client.session
    session[TOUCH_AT_KEY] = int(time.time()) - settings.WD_SESSION_TOUCH_SECONDS - 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + timedelta(minutes=2))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(SIGNED_IN).status_code == 200
    assert session_writes(ctx.captured_queries)
    expire = Session.objects.get(session_key=session.session_key).expire_date
    assert expire > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 30)
    assert client.session[TOUCH_AT_KEY] >= int(time.time()) - 5


def test_the_idle_timeout_still_ends_a_session(world, login_as):
    client = login_as("head_c1")
    assert client.get(SIGNED_IN).status_code == 200
    key = client.session.session_key
    # 15 idle minutes: the stored expiry (set at the last touch) has passed
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(SIGNED_IN)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/customers/").status_code in (401, 403)


def test_requests_within_the_interval_never_extend_the_session_past_the_idle_limit(world, login_as):
    """The expiry is set at a touch, so a session never outlives its last request by more than 15 minutes."""
    client = login_as("head_c1")
    client.get(SIGNED_IN)
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    client.get(SIGNED_IN)
    assert Session.objects.get(session_key=key).expire_date == before
    assert before <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
