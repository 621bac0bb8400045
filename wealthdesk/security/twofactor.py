"""Two-factor sign-in with TOTP (django-otp): enrolment, verification, recovery codes, administrator reset.

等保三级 asks for two authentication techniques, one of them cryptographic; ASVS 6.3.3 for multi-factor sign-in.
A password-only session reaches nothing but enrolment and verification (``middleware.SessionSecurityMiddleware``);
the API token endpoint issues a token only after both factors (``api.TokenView``).

* A code is single use: django-otp's TOTP device keeps the last time step used (``last_t``) and refuses it and
  every earlier one; wrong codes are throttled (``OTP_TOTP_THROTTLE_FACTOR``).
* Recovery codes are a django-otp static device ("recovery"): each code works once and is deleted when used.
* Every success and every refusal is audited (``login`` / ``login_failed`` rows with ``factor``); the
  administrator's reset is a ``staff_change`` row (``what = two_factor_reset``).
"""
from __future__ import annotations

import base64
import secrets

import django_otp
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wealthdesk.core.access_audit import audit_access
from wealthdesk.core.audit import audit_record
from wealthdesk.core.models import AuditAction
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for

from .sessions import end_sessions

TOTP_NAME = "default"
RECOVERY_NAME = "recovery"
RECOVERY_COUNT = 10


def wrong_code_message() -> str:
    return _("验证码不正确、已过期或已使用过，请输入身份验证器上的新验证码。")


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def is_enrolled(user) -> bool:
    """A user is enrolled once a TOTP device is confirmed; until then sign-in goes to enrolment."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device of an enrolment in progress: the same secret on every reload until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it typed in (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` URL as a QR code (segno), an SVG data URI the page's ``<img>`` shows (CSP: img data:)."""
    import segno

    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _clean_code(code: str) -> str:
    return "".join(str(code or "").split())


def _second_factor_login(request, device) -> None:
    """Mark the session as having passed the second step, under a new session key (no fixation across the step)."""
    from .models import UserSession

    django_otp.login(request, device)
    session = getattr(request, "session", None)
    if session is None or getattr(request.user, "otp_device", None) is None:
        return  # the API token endpoint: no session
    old = session.session_key
    session.cycle_key()
    if old:
        UserSession.objects.filter(session_key=old).update(session_key=session.session_key)


def _refuse(user, *, factor: str, reason: str) -> None:
    audit_access(actor=None, action=AuditAction.LOGIN_FAILED, result="failed", username=user.username,
                 unit_id=user.unit_id, factor=factor, reason=reason)
    raise ValidationError({"code": [wrong_code_message()]})


def enrol_confirm(request, user, code: str) -> list[str]:
    """Confirm the pending device with its first code; returns the new recovery codes (shown once).

    Refused (nothing changed but the device's throttle counter) when the code is wrong; never possible for a user
    who already has a confirmed device — a password alone must not enrol a second authenticator."""
    code = _clean_code(code)
    with transaction.atomic():
        if is_enrolled(user):
            raise PermissionDenied(_("该账号已绑定身份验证器。"))
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("id").first()
        if device is None or not code.isdigit() or not device.verify_token(code):
            ok = False
        else:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = _new_recovery_codes(user)
            ok = True
    if not ok:
        _refuse(user, factor="totp", reason="enrol")
    _second_factor_login(request, device)
    audit_access(actor=user, action=AuditAction.LOGIN, result="ok", factor="totp", step="enrol")
    return codes


def verify(request, user, code: str) -> str:
    """The second step of sign-in: a TOTP code, or else one recovery code. Returns the factor used."""
    code = _clean_code(code)
    device = None
    factor = "totp"
    if code.isdigit() and len(code) == 6:
        with transaction.atomic():
            candidate = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            if candidate is not None and candidate.verify_token(code):
                device = candidate
    elif code:
        factor = "recovery"
        with transaction.atomic():
            candidate = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            if candidate is not None and candidate.verify_token(code):
                device = candidate
    if device is None:
        _refuse(user, factor=factor, reason="verify")
    _second_factor_login(request, device)
    audit_access(actor=user, action=AuditAction.LOGIN, result="ok", factor=factor,
                 recovery_left=_recovery_left(user) if factor == "recovery" else None)
    return factor


def _recovery_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME,
                                                          defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(2)}" for _ in range(RECOVERY_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_renew(actor) -> list[str]:
    """A verified user replaces their recovery codes (the old ones stop working). Audited."""
    with transaction.atomic():
        codes = _new_recovery_codes(actor)
        audit_record(actor=actor, action=AuditAction.STAFF_CHANGE, obj=actor, unit_id=actor.unit_id,
                     detail={"what": "recovery_codes_renew", "user": actor.username, "count": len(codes)})
    return codes


RESETTERS = frozenset({Role.SYSTEM_ADMIN})


def reset(*, actor, user) -> None:
    """The system administrator removes a user's authenticator and recovery codes (lost phone): the user's
    sessions and API token end, and the next sign-in enrols again. Never one's own. Audited."""
    if not scope_for(actor).has(*RESETTERS):
        raise PermissionDenied(_("只有系统管理员可以重置双因素认证。"))
    if actor.pk == user.pk:
        raise ValidationError({"user": [_("不能重置自己的双因素认证，请由另一位系统管理员操作。")]})
    with transaction.atomic():
        totp = TOTPDevice.objects.filter(user=user).delete()[0]
        static = StaticDevice.objects.filter(user=user).delete()[0]
        ended = end_sessions(user)
        audit_record(actor=actor, action=AuditAction.STAFF_CHANGE, obj=user, unit_id=user.unit_id,
                     detail={"what": "two_factor_reset", "user": user.username, "by": actor.username,
                             "devices_removed": totp + static, "sessions_ended": ended})


def demo_enrol(users) -> int:
    """Demo and development only: enrol the given users with the shown demo secret ``WD_DEMO_TOTP_KEY`` (hex),
    so a newcomer signs in with any authenticator app holding that one secret. Production settings set it to
    ``None``; then this does nothing."""
    key = getattr(settings, "WD_DEMO_TOTP_KEY", None)
    if not key:
        return 0
    have = set(TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True))
    rows = [TOTPDevice(user=u, name=TOTP_NAME, key=key, confirmed=True) for u in users if u.pk not in have]
    TOTPDevice.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
