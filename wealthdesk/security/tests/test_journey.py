"""Browser journeys (issue 15): the first sign-in enrols an authenticator from the QR code — a wrong code shows the
message and changes nothing, the right one shows the recovery codes and opens the site; a password-only session
reaches no page; the administrator resets a lost authenticator."""
import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.testing.browser import login, screenshot
from wealthdesk.core.testing.twofactor import code_for
from wealthdesk.core.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRONG = "验证码不正确、已过期或已使用过，请输入身份验证器上的新验证码。"


def sign_in_with_password(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_first_sign_in_enrols_from_the_qr_code(page, world):
    sign_in_with_password(page, "cm_c1_1")
    assert "/security/enrol/" in page.url
    qr = page.locator("[data-testid=totp-qr]")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    secret = page.inner_text("[data-testid=totp-secret]")
    device = TOTPDevice.objects.get(user=world.cm_c1_1, confirmed=False)
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    screenshot(page, "security-enrol")

    page.fill("#id_code", code_for(device, step_offset=4))
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-testid=code-error]") == WRONG
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, actor_name="cm_c1_1").count() == 1

    page.fill("#id_code", code_for(device))
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=recovery-codes] li").count() == 10
    page.click("[data-testid=continue]")
    page.wait_for_load_state("networkidle")
    assert "/security/" not in page.url and page.locator("[data-testid=whoami]").count() == 1
    page.goto("/customers/")
    assert page.url.endswith("/customers/")


def test_a_wrong_code_at_the_second_step_shows_the_message(page, world):
    from wealthdesk.core.testing.twofactor import ensure_device

    device = ensure_device(world.head_c1)
    sign_in_with_password(page, "head_c1")
    assert "/security/verify/" in page.url
    page.fill("#id_code", code_for(device, step_offset=-9))
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-testid=code-error]") == WRONG
    screenshot(page, "security-wrong-code")
    for path in ("/", "/customers/", "/admin/", "/core/audit/"):
        page.goto(path)
        assert "/security/verify/" in page.url, path
    assert page.locator("nav [data-nav]").count() == 0


def test_the_shared_login_helper_completes_the_second_step(page, world):
    login(page, "head_c1", PASSWORD)
    page.goto("/customers/")
    assert page.url.endswith("/customers/")
    # Leave the page first: a request still in flight from it (the list's htmx parts) would answer with a fresh
    # session cookie after the cookies are cleared, and the login page would then redirect a signed-in user.
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
    page.context.clear_cookies()
    login(page, "head_c1", PASSWORD)  # a second sign-in within the same 30 seconds works too (no replay)
    page.goto("/customers/")
    assert page.url.endswith("/customers/")


def test_the_administrator_resets_an_authenticator(page, world):
    from wealthdesk.core.testing.twofactor import ensure_device

    ensure_device(world.cm_c1_2)
    login(page, "admin", PASSWORD)
    page.goto("/security/two-factor/?q=cm_c1_2")
    page.click("[data-testid=reset-cm_c1_2]")
    page.wait_for_load_state("networkidle")
    assert "已重置 cm_c1_2 的双因素认证" in page.content()
    assert not TOTPDevice.objects.filter(user=world.cm_c1_2).exists()
