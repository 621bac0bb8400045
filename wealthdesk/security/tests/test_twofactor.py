"""Issue 15, two-factor sign-in (等保三级 two techniques; ASVS 6.3.3): enrolment, verification, replay, recovery
codes, throttling, the administrator's reset."""
import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.testing.twofactor import code_for, current_code, ensure_device
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.security import twofactor
from wealthdesk.security.models import UserSession

pytestmark = pytest.mark.django_db

WRONG = "验证码不正确、已过期或已使用过，请输入身份验证器上的新验证码。"


def failed_rows():
    return list(AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("id"))


def test_a_password_only_session_is_sent_to_the_second_step(world, password_only):
    client = password_only("cm_c1_1")
    page = client.get("/customers/")
    assert page.status_code == 302 and page["Location"].startswith("/security/verify/?next=%2Fcustomers%2F")
    api = client.get("/api/v1/customers/")
    assert api.status_code == 403 and api.json() == {"detail": "请先完成双因素认证（动态验证码）后再使用。"}


def test_first_sign_in_enrols_with_a_qr_code_and_a_wrong_code_changes_nothing(world, password_only):
    client = password_only("cm_c1_1")
    assert client.get("/security/verify/").url.startswith("/security/enrol/")
    page = client.get("/security/enrol/")
    body = page.content.decode()
    assert 'src="data:image/svg+xml' in body and 'data-testid="totp-secret"' in body
    device = TOTPDevice.objects.get(user=world.cm_c1_1)
    assert not device.confirmed and twofactor.base32_secret(device) in body
    assert client.get("/security/enrol/").content.decode().count(twofactor.base32_secret(device)) == 1  # same secret

    wrong = code_for(device, step_offset=5)
    bad = client.post("/security/enrol/", {"code": wrong})
    assert bad.status_code == 200 and WRONG in bad.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed and not StaticDevice.objects.exists()
    (row,) = failed_rows()
    assert row.actor_name == "cm_c1_1" and row.detail["factor"] == "totp" and row.detail["reason"] == "enrol"
    assert client.get("/customers/").status_code == 302

    short = client.post("/security/enrol/", {"code": "12"})
    assert "验证码为6位数字。" in short.content.decode()

    ok = client.post("/security/enrol/", {"code": code_for(device)})
    assert ok.status_code == 200 and 'data-testid="recovery-codes"' in ok.content.decode()
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert StaticToken.objects.filter(device__user=world.cm_c1_1).count() == twofactor.RECOVERY_COUNT
    assert client.get("/customers/").status_code == 200
    assert AuditLog.objects.filter(action=AuditAction.LOGIN, detail__step="enrol", actor=world.cm_c1_1).exists()


def test_an_enrolled_user_cannot_enrol_another_authenticator_with_the_password_alone(world, password_only):
    ensure_device(world.cm_c1_1)
    client = password_only("cm_c1_1")
    assert client.get("/security/enrol/").url.startswith("/security/verify/")
    assert client.post("/security/enrol/", {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=world.cm_c1_1).count() == 1


def test_a_code_works_once_and_a_replay_is_refused_and_audited(world, password_only):
    code = current_code(world.cm_c1_1)
    client = password_only("cm_c1_1")
    ok = client.post("/security/verify/?next=/customers/", {"code": code, "next": "/customers/"})
    assert ok.status_code == 302 and ok["Location"] == "/customers/"
    assert client.get("/customers/").status_code == 200

    other = password_only("cm_c1_1")
    replay = other.post("/security/verify/", {"code": code})
    assert replay.status_code == 200 and WRONG in replay.content.decode()
    assert other.get("/customers/").status_code == 302
    (row,) = failed_rows()
    assert row.detail["reason"] == "verify" and row.actor_name == "cm_c1_1"


def test_a_wrong_code_shows_the_message(world, password_only):
    device = ensure_device(world.head_c1)
    client = password_only("head_c1")
    for bad in (code_for(device, step_offset=7), "abc", "12345678901234567890123456789012"):
        response = client.post("/security/verify/", {"code": bad})
        assert response.status_code == 200 and WRONG in response.content.decode()
    assert client.post("/security/verify/", {"code": ""}).content.decode().count("请输入动态验证码。") == 1
    assert client.get("/").status_code == 302


def test_a_recovery_code_works_once(world, password_only):
    ensure_device(world.cm_c1_2)
    codes = twofactor._new_recovery_codes(world.cm_c1_2)
    client = password_only("cm_c1_2")
    ok = client.post("/security/verify/", {"code": codes[0]})
    assert ok.status_code == 302
    assert StaticToken.objects.filter(device__user=world.cm_c1_2).count() == twofactor.RECOVERY_COUNT - 1
    again = password_only("cm_c1_2").post("/security/verify/", {"code": codes[0]})
    assert WRONG in again.content.decode()


@override_settings(OTP_TOTP_THROTTLE_FACTOR=60)
def test_wrong_codes_are_throttled(world, password_only):
    device = ensure_device(world.cm_c1_1)
    client = password_only("cm_c1_1")
    client.post("/security/verify/", {"code": code_for(device, step_offset=9)})
    refused = client.post("/security/verify/", {"code": current_code_keep_throttle(device)})
    assert WRONG in refused.content.decode()


def current_code_keep_throttle(device):
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return code_for(device)


def test_recovery_codes_can_be_renewed_by_a_verified_user(world, login_as):
    client = login_as("cm_c1_1")
    assert "生成新的恢复码" in client.get("/security/recovery-codes/").content.decode()
    page = client.post("/security/recovery-codes/")
    assert page.status_code == 200 and 'data-testid="recovery-codes"' in page.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.STAFF_CHANGE, detail__what="recovery_codes_renew").exists()


# --- the administrator's reset -------------------------------------------------------------------------------

def test_the_administrator_resets_a_lost_authenticator_and_the_users_sessions_end(world, login_as):
    victim = Client()
    victim.force_login(world.cm_c1_1)
    assert victim.get("/customers/").status_code == 200
    twofactor._new_recovery_codes(world.cm_c1_1)
    admin = login_as("admin")
    listing = admin.get("/security/two-factor/?q=cm_c1")
    assert listing.status_code == 200 and 'data-user="cm_c1_1"' in listing.content.decode()
    response = admin.post(f"/security/two-factor/{world.cm_c1_1.pk}/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.cm_c1_1).exists()
    assert not StaticDevice.objects.filter(user=world.cm_c1_1).exists()
    assert not UserSession.objects.filter(user=world.cm_c1_1).exists()
    assert victim.get("/customers/").status_code == 302  # signed out
    row = AuditLog.objects.get(action=AuditAction.STAFF_CHANGE, detail__what="two_factor_reset")
    assert row.actor == world.admin and row.detail["user"] == "cm_c1_1" and row.detail["sessions_ended"] == 1


def test_the_administrator_cannot_reset_his_own(world, login_as):
    admin = login_as("admin")
    response = admin.post(f"/security/two-factor/{world.admin.pk}/reset/", follow=True)
    assert "不能重置自己的双因素认证" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.admin).exists()
    assert not AuditLog.objects.filter(detail__what="two_factor_reset").exists()


@pytest.mark.parametrize("name", ["head_c1", "auditor", "cm_c1_1", "hq_service"])
def test_other_roles_get_403_on_the_reset_page_and_endpoint(world, login_as, api_as, name):
    client = login_as(name)
    assert client.get("/security/two-factor/").status_code == 403
    assert client.post(f"/security/two-factor/{world.cm_c1_2.pk}/reset/").status_code == 403
    api = api_as(name)
    assert api.get("/api/v1/security/two-factor/").status_code == 403
    assert api.post(f"/api/v1/security/two-factor/{world.cm_c1_2.pk}/reset/").status_code == 403
    assert TOTPDevice.objects.filter(user=world.cm_c1_2).count() <= 1


def test_the_reset_api(world, api_as):
    ensure_device(world.cm_c1_2)
    api = api_as("admin")
    listing = api.get("/api/v1/security/two-factor/", {"q": "cm_c1_2"})
    assert listing.status_code == 200
    (row,) = listing.json()["results"]
    assert row["id"] == world.cm_c1_2.pk and row["enrolled"] is True
    done = api.post(f"/api/v1/security/two-factor/{world.cm_c1_2.pk}/reset/")
    assert done.status_code == 200 and done.json()["enrolled"] is False
    own = api.post(f"/api/v1/security/two-factor/{world.admin.pk}/reset/")
    assert own.status_code == 400 and "user" in own.json()
    assert api.post("/api/v1/security/two-factor/999999/reset/").status_code == 404


def test_anonymous_is_turned_away(client, api_client, world):
    assert client.get("/security/two-factor/").status_code == 302
    assert client.get("/security/verify/").status_code == 302
    assert api_client.get("/api/v1/security/two-factor/").status_code in (401, 403)


# --- demo pre-enrolment ------------------------------------------------------------------------------------

def test_the_demo_secret_pre_enrols_and_production_never_does(world, settings):
    from wealthdesk.security.seed import ENROL_ON_FIRST

    assert "cm_c1_5" in ENROL_ON_FIRST
    settings.WD_DEMO_TOTP_KEY = "5765616c74684465736b2d64656d6f2d32303236"
    assert twofactor.demo_enrol([world.lobby_c1, world.teller_c1]) == 2
    assert TOTPDevice.objects.get(user=world.lobby_c1).key == settings.WD_DEMO_TOTP_KEY
    assert twofactor.demo_enrol([world.lobby_c1]) == 0
    settings.WD_DEMO_TOTP_KEY = None
    assert twofactor.demo_enrol([world.cm_c2_1]) == 0


def test_demo_totp_prints_a_code_the_server_accepts(world, settings, password_only):
    from io import StringIO

    from django.core.management import call_command

    settings.WD_DEMO_TOTP_KEY = "5765616c74684465736b2d64656d6f2d32303236"
    twofactor.demo_enrol([world.lead_c1])
    out = StringIO()
    call_command("demo_totp", stdout=out)
    client = password_only("lead_c1")
    assert client.post("/security/verify/", {"code": out.getvalue().strip()}).status_code == 302


def test_password_only_login_shows_no_navigation(world, password_only):
    body = password_only("head_c1").get("/security/verify/", follow=True).content.decode()
    assert 'data-nav="' not in body and PASSWORD not in body


def test_the_second_step_gives_a_new_session_key_still_known_for_ending_it(world, password_only):
    code = current_code(world.cm_c1_1)
    client = password_only("cm_c1_1")
    before = client.session.session_key
    client.post("/security/verify/", {"code": code})
    after = client.session.session_key
    assert after != before
    assert list(UserSession.objects.filter(user=world.cm_c1_1).values_list("session_key", flat=True)) == [after]
    assert client.get("/customers/").status_code == 200
