"""Session policy: idle timeout (``SESSION_COOKIE_AGE``, 15 minutes), absolute lifetime (``WD_SESSION_MAX_SECONDS``,
8 hours), and ending every session and API token of a user on deactivation, password change or two-factor reset
(ASVS 7.3, 7.4)."""
from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.models import Session

from .models import UserSession

AUTH_AT_KEY = "wd_auth_at"  # when the session signed in (epoch seconds): the absolute lifetime counts from it
TOUCH_AT_KEY = "wd_touch_at"  # when the session was last saved (epoch seconds): SessionTouchMiddleware
PASSWORD_AT_KEY = "wd_password_at"  # nosec B105 - a session key name, not a password; when the password last changed (epoch seconds), with the rotation policy on


def remember(request, user) -> None:
    """At sign-in: note the time in the session and the session under the user."""
    session = request.session
    session[AUTH_AT_KEY] = int(time.time())
    if getattr(settings, "WD_PASSWORD_MAX_AGE_DAYS", 0):
        from .models import PasswordRecord

        record = PasswordRecord.objects.filter(user=user).values_list("changed_at", flat=True).first()
        session[PASSWORD_AT_KEY] = int((record or user.date_joined).timestamp())
    if session.session_key is None:
        session.save()
    UserSession.objects.get_or_create(session_key=session.session_key, defaults={"user": user})
    from django.utils import timezone

    stale = timezone.now() - timezone.timedelta(seconds=settings.WD_SESSION_MAX_SECONDS)
    UserSession.objects.filter(user=user, created_at__lt=stale).delete()


def touch_due(session) -> bool:
    """True when the session must be saved on this request to slide its idle expiry: it is being saved anyway
    (modified), or its last save is ``WD_SESSION_TOUCH_SECONDS`` or longer ago. Notes the time in the session then."""
    now = int(time.time())
    if session.modified or now - session.get(TOUCH_AT_KEY, 0) >= settings.WD_SESSION_TOUCH_SECONDS:
        session[TOUCH_AT_KEY] = now
        return True
    return False


def is_past_lifetime(session) -> bool:
    started = session.get(AUTH_AT_KEY)
    if started is None:
        session[AUTH_AT_KEY] = int(time.time())
        return False
    return time.time() - started > settings.WD_SESSION_MAX_SECONDS


def end_sessions(user) -> int:
    """End every session and the API token of ``user``. Returns how many sessions ended."""
    from rest_framework.authtoken.models import Token

    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    return len(keys)
