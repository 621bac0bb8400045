"""Issue 15, passwords and sessions (ASVS 6.2, 7.3, 7.4): Argon2 first and PBKDF2 kept, 12 to 128 characters,
15-minute idle timeout, 8-hour absolute lifetime, every session ended on deactivation or password change, the
optional rotation policy, ``__Host-`` cookies in production."""
import importlib
import time

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from wealthdesk.config.settings import base
from wealthdesk.core.testing.production import PRODUCTION_KEYS
from wealthdesk.security.models import PasswordRecord, UserSession
from wealthdesk.security.sessions import AUTH_AT_KEY

pytestmark = pytest.mark.django_db

SIGNED_IN = "/security/recovery-codes/"  # any signed-in user: 200; signed out: 302


def test_argon2_first_pbkdf2_kept():
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert any(h.endswith(".PBKDF2PasswordHasher") for h in base.PASSWORD_HASHERS)
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert make_password("Long-enough-pass-1").startswith("argon2$argon2id$")
        old = make_password("Long-enough-pass-1", hasher="pbkdf2_sha256")
        assert check_password("Long-enough-pass-1", old)


def test_an_old_pbkdf2_hash_is_upgraded_at_sign_in(world, client):
    user = world.cm_c1_2
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        type(user).objects.filter(pk=user.pk).update(password=make_password("Long-enough-pass-1",
                                                                             hasher="pbkdf2_sha256"))
        assert client.post("/accounts/login/", {"username": user.username,
                                                "password": "Long-enough-pass-1"}).status_code == 302
        user.refresh_from_db()
        assert user.password.startswith("argon2$")


@pytest.mark.parametrize("password, ok", [("Short-pass1", False), ("Twelve-chars", True), ("A1-" + "x" * 125, True),
                                          ("A1-" + "x" * 126, False)])
def test_password_length_12_to_128(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError) as exc:
            validate_password(password)
        assert "12" in str(exc.value) or "128" in str(exc.value)


def test_idle_and_absolute_limits():
    assert settings.SESSION_COOKIE_AGE == 15 * 60 and not settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.WD_SESSION_TOUCH_SECONDS == 60
    assert settings.WD_SESSION_MAX_SECONDS == 8 * 3600


def test_a_session_ends_eight_hours_after_sign_in_whatever_its_activity(world, login_as):
    client = login_as("head_c1")
    assert client.get(SIGNED_IN).status_code == 200
    session = client.session
    session[AUTH_AT_KEY] = int(time.time()) - 8 * 3600 - 5
    session.save()
    response = client.get("/customers/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    api_session = login_as("head_c1")
    session = api_session.session
    session[AUTH_AT_KEY] = int(time.time()) - 8 * 3600 - 5
    session.save()
    assert api_session.get("/api/v1/customers/").status_code == 401


def test_deactivation_ends_every_session(world):
    a, b = Client(), Client()
    a.force_login(world.cm_c1_1)
    b.force_login(world.cm_c1_1)
    assert UserSession.objects.filter(user=world.cm_c1_1).count() == 2
    world.cm_c1_1.is_active = False
    world.cm_c1_1.save()
    assert not UserSession.objects.filter(user=world.cm_c1_1).exists()
    assert a.get(SIGNED_IN).status_code == 302 and b.get(SIGNED_IN).status_code == 302


def test_a_password_change_ends_every_session(world, login_as):
    other = Client()
    other.force_login(world.cm_c1_1)
    client = login_as("cm_c1_1")
    from wealthdesk.core.testing.world import PASSWORD

    bad = client.post("/security/password/", {"old_password": PASSWORD, "new_password1": "short",
                                              "new_password2": "short"})
    assert bad.status_code == 200 and "12" in bad.content.decode()
    response = client.post("/security/password/", {"old_password": PASSWORD, "new_password1": "A-new-long-pass-26",
                                                   "new_password2": "A-new-long-pass-26"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert other.get(SIGNED_IN).status_code == 302 and client.get(SIGNED_IN).status_code == 302
    assert not Session.objects.filter(session_key__in=UserSession.objects.values("session_key")).exists()
    assert PasswordRecord.objects.filter(user=world.cm_c1_1).exists()


def test_an_admin_setting_a_password_ends_the_users_sessions(world):
    other = Client()
    other.force_login(world.lobby_c1)
    world.lobby_c1.set_password("Another-long-pass-1")
    world.lobby_c1.save()
    assert other.get(SIGNED_IN).status_code == 302


def test_saving_a_user_without_changing_the_password_keeps_the_sessions(world):
    other = Client()
    other.force_login(world.lobby_c1)
    world.lobby_c1.full_name = "新名字"
    world.lobby_c1.save()
    assert other.get(SIGNED_IN).status_code == 200


def test_the_rotation_policy_is_off_by_default_and_sends_to_the_password_page_when_on(world, client):
    from wealthdesk.core.testing.world import PASSWORD

    assert base.WD_PASSWORD_MAX_AGE_DAYS == 0
    with override_settings(WD_PASSWORD_MAX_AGE_DAYS=90):
        import datetime as dt

        from django.utils import timezone

        PasswordRecord.objects.create(user=world.head_c1, changed_at=timezone.now() - dt.timedelta(days=91))
        client.post("/accounts/login/", {"username": "head_c1", "password": PASSWORD})
        from wealthdesk.core.testing.twofactor import mark_verified

        mark_verified(client, world.head_c1)
        response = client.get("/customers/")
        assert response.status_code == 302 and response["Location"] == "/security/password/"
        assert client.get("/security/password/").status_code == 200


def test_production_uses_host_prefixed_cookies_and_no_demo_secret(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    for name, value in PRODUCTION_KEYS.items():  # production requires them
        monkeypatch.setenv(name, value)
    production = importlib.import_module("wealthdesk.config.settings.production")
    assert production.SESSION_COOKIE_NAME == "__Host-sessionid" and production.CSRF_COOKIE_NAME == "__Host-csrftoken"
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_PATH == "/" and production.SESSION_COOKIE_DOMAIN is None
    assert production.WD_DEMO_TOTP_KEY is None
