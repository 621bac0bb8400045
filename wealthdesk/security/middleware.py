"""One gate for every page and API call made with a session (ASVS 6.3.3, 7.3):

* a session past its absolute lifetime (``WD_SESSION_MAX_SECONDS``, 8 h) is ended, whatever its activity;
* a session signed in with the password only reaches nothing but enrolment, verification and sign-out: pages
  redirect to the second step, API calls get 403;
* with the rotation policy on (``WD_PASSWORD_MAX_AGE_DAYS`` > 0), an expired password sends the user to the
  password change page.

Token-authenticated API calls carry no session: their token was issued after both factors (``api.TokenView``) and
``authentication.ExpiringTokenAuthentication`` checks its age. No database query here: the state is in the session
(django-otp's ``otp_device_id``); a two-factor reset, a deactivation or a password change ends the sessions.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY

from .sessions import PASSWORD_AT_KEY, is_past_lifetime, touch_due

OPEN_PREFIXES = ("/static/", "/i18n/", "/jsi18n/", "/favicon")


def second_factor_done(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: set[str] | None = None

    def open_paths(self) -> set[str]:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in ("login", "logout", "security:verify", "security:enrol")}
        return self._open_paths

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        is_api = request.path.startswith("/api/")
        if is_past_lifetime(request.session):
            logout(request)
            if is_api:
                return JsonResponse({"detail": _("登录已超过最长时限，请重新登录。")}, status=401)
            messages.info(request, _("登录已超过8小时，请重新登录。"))
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        if not second_factor_done(request):
            request.wd_second_factor_pending = True
            if request.path in self.open_paths() or request.path.startswith(OPEN_PREFIXES):
                return self.get_response(request)
            if is_api:
                return JsonResponse({"detail": _("请先完成双因素认证（动态验证码）后再使用。")}, status=403)
            return redirect(f"{reverse('security:verify')}?{urlencode({'next': request.get_full_path()})}")
        if self._password_expired(request) and request.path not in self.open_paths() | {reverse("security:password")} \
                and not request.path.startswith(OPEN_PREFIXES) and not is_api:
            messages.warning(request, _("您的密码已超过规定的使用期限，请先修改密码。"))
            return redirect("security:password")
        return self.get_response(request)

    @staticmethod
    def _password_expired(request) -> bool:
        days = getattr(settings, "WD_PASSWORD_MAX_AGE_DAYS", 0)
        if not days:
            return False
        changed = request.session.get(PASSWORD_AT_KEY)
        return changed is not None and time.time() - changed > days * 86400


class SessionTouchMiddleware:
    """Slides the idle timeout without a session write on every request (issue 16).

    Sits right after Django's ``SessionMiddleware`` (so its answer is handled first) and marks the session modified
    only when its last save is older than ``WD_SESSION_TOUCH_SECONDS`` (60 s): then ``SessionMiddleware`` saves it
    and the store's expiry moves to now + ``SESSION_COOKIE_AGE``. A read-only page within the interval writes
    nothing. The idle timeout therefore ends a session between ``SESSION_COOKIE_AGE - touch`` and
    ``SESSION_COOKIE_AGE`` after the last request — never later (docs/security.md).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and session.get(SESSION_KEY) and touch_due(session):
            session.modified = True
        return response
