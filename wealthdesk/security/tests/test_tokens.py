"""Issue 15: the API token is issued only after both factors, expires (``security.token_hours``) and is refused while
the account is locked out or deactivated; each refusal is audited and changes nothing."""
import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.params import set_param
from wealthdesk.core.testing.twofactor import code_for, current_code, ensure_device
from wealthdesk.core.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def ask(api_client, **extra):
    return api_client.post(TOKEN_URL, {"username": "cm_c1_1", "password": PASSWORD, **extra}, format="json")


def test_no_token_without_the_second_factor(api_client, world):
    missing = ask(api_client)
    assert missing.status_code == 400 and "otp" in missing.json()
    device = ensure_device(world.cm_c1_1)
    wrong = ask(api_client, otp=code_for(device, step_offset=6))
    assert wrong.status_code == 400 and "验证码不正确" in wrong.json()["otp"][0]
    assert not Token.objects.filter(user=world.cm_c1_1).exists()
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, actor_name="cm_c1_1",
                                   detail__factor="totp").exists()


def test_an_unenrolled_user_gets_no_token(api_client, world):
    response = ask(api_client, otp="123456")
    assert response.status_code == 400 and "尚未绑定" in response.json()["otp"][0]


def test_a_token_after_both_factors_and_the_replayed_code_is_refused(api_client, world):
    code = current_code(world.cm_c1_1)
    ok = ask(api_client, otp=code)
    assert ok.status_code == 200 and ok.json()["expires_in"] == 8 * 3600
    token = ok.json()["token"]
    assert api_client.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    replay = ask(api_client, otp=code)
    assert replay.status_code == 400 and "otp" in replay.json()
    assert Token.objects.get(user=world.cm_c1_1).key == token  # nothing changed


def test_a_new_token_replaces_the_old_one(api_client, world):
    first = ask(api_client, otp=current_code(world.cm_c1_1)).json()["token"]
    second = ask(api_client, otp=current_code(world.cm_c1_1)).json()["token"]
    assert first != second and list(Token.objects.filter(user=world.cm_c1_1).values_list("key", flat=True)) == [second]


def test_tokens_expire_after_the_configured_hours(api_client, world):
    token = Token.objects.create(user=world.cm_c1_1)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(hours=7, minutes=59))
    assert api_client.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(hours=8, minutes=1))
    expired = api_client.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert expired.status_code == 401 and expired.json()["detail"] == "令牌已过期，请重新登录获取新令牌。"
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, detail__reason="expired").exists()
    assert not Token.objects.filter(pk=token.pk).exists()


def test_the_lifetime_is_a_parameter(api_client, world):
    set_param("security.token_hours", 1)
    token = Token.objects.create(user=world.cm_c1_1)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(minutes=61))
    assert api_client.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401


def test_tokens_are_refused_while_the_account_is_locked_out(api_client, world):
    token = Token.objects.create(user=world.cm_c1_1)
    AccessAttempt.objects.create(username="cm_c1_1", ip_address="10.9.9.9", user_agent="x", get_data="",
                                 post_data="", http_accept="", path_info="/accounts/login/",
                                 failures_since_start=settings.AXES_FAILURE_LIMIT)
    locked = api_client.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert locked.status_code == 401 and locked.json()["detail"] == "账号已被锁定，令牌暂不可用。"
    no_new = ask(api_client, otp=current_code(world.cm_c1_1))
    assert no_new.status_code in (400, 403, 429)
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, detail__reason="locked").exists()


def test_a_deactivated_account_loses_its_token(api_client, world):
    token = Token.objects.create(user=world.cm_c1_1)
    world.cm_c1_1.is_active = False
    world.cm_c1_1.save()
    assert not Token.objects.filter(pk=token.pk).exists()
    assert api_client.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401


def test_a_deactivated_accounts_token_is_refused_even_if_it_survived(api_client, world):
    token = Token.objects.create(user=world.cm_c1_1)
    type(world.cm_c1_1).objects.filter(pk=world.cm_c1_1.pk).update(is_active=False)  # below the hooks
    assert api_client.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401
