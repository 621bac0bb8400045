"""Sign-in: one message for any wrong login, lockout after 5 failures, 15-minute idle sessions (issue 15)."""
import pytest
from django.conf import settings

from wealthdesk.core.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "用户名或密码不正确。"


def test_a_wrong_password_and_an_unknown_user_get_the_same_message(client, world):
    a = client.post("/accounts/login/", {"username": "cm_c1_1", "password": "wrong-password"})
    b = client.post("/accounts/login/", {"username": "nobody", "password": PASSWORD})
    assert WRONG in a.content.decode() and WRONG in b.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_right_login_lands_on_the_site(client, world):
    response = client.post("/accounts/login/", {"username": "head_c1", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.head_c1.pk)


def test_five_failures_lock_the_username_from_that_address(client, world):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "cm_c1_1", "password": "bad"}, REMOTE_ADDR="10.9.9.9")
    response = client.post("/accounts/login/", {"username": "cm_c1_1", "password": PASSWORD},
                           REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sessions_end_after_fifteen_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 900  # slid by security.middleware.SessionTouchMiddleware
    assert "wealthdesk.security.middleware.SessionTouchMiddleware" in settings.MIDDLEWARE


def test_api_token_for_a_right_login_and_one_message_for_a_wrong_one(api_client, world):
    from wealthdesk.core.testing.twofactor import current_code

    code = current_code(world.cm_c1_1)
    ok = api_client.post("/api/v1/auth/token/", {"username": "cm_c1_1", "password": PASSWORD, "otp": code},
                         format="json")
    assert ok.status_code == 200 and len(ok.json()["token"]) == 40
    bad = api_client.post("/api/v1/auth/token/", {"username": "cm_c1_1", "password": "x", "otp": "123456"},
                          format="json")
    assert bad.status_code == 400 and bad.json() == {"detail": [WRONG]}
    extra = api_client.post("/api/v1/auth/token/", {"username": "a", "password": "b", "otp": "1", "x": 1},
                            format="json")
    assert extra.status_code == 400 and "x" in extra.json()
    customers = api_client.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {ok.json()['token']}")
    assert customers.status_code == 200 and customers.json()["count"] == 1
