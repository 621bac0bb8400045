"""Tests complete the second sign-in factor themselves (issue 15), so fixtures and helpers stay transparent:

* ``Client.force_login`` (used by ``login_as`` and by tests directly) also marks the session as having passed the
  TOTP step, with a confirmed device created for the user when missing (``patch_force_login``, installed by the root
  conftest);
* the browser ``login`` helper types the user's current code on the verification page (``current_code``).

A test that needs a password-only session signs in through the login form (``client.post("/accounts/login/")``).
"""
from __future__ import annotations

from binascii import unhexlify

from django_otp import DEVICE_ID_SESSION_KEY


def ensure_device(user):
    """The user's confirmed TOTP device, created when missing."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return device


def code_for(device, *, step_offset: int = 0) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(unhexlify(device.key), device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + step_offset * device.step
    return f"{totp.token():0{device.digits}d}"


def current_code(user) -> str:
    """A code the server accepts now: the device forgets the last step used (a test may sign in twice within one
    30-second step; the replay refusal itself is tested in the security app)."""
    device = ensure_device(user)
    type(device).objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0,
                                                     throttling_failure_timestamp=None)
    return code_for(device)


def mark_verified(client, user) -> None:
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = ensure_device(user).persistent_id
    session.save()


def patch_force_login() -> None:
    from django.test.client import ClientMixin

    if getattr(ClientMixin.force_login, "_wd_second_factor", False):
        return
    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        mark_verified(self, user)

    force_login._wd_second_factor = True
    ClientMixin.force_login = force_login
