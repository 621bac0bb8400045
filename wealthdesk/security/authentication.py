"""API tokens that expire (``security.token_hours``, default 8 h) and are refused while the account is locked out
(django-axes) or deactivated. Issued only after both factors (``api.TokenView``)."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions

from wealthdesk.core.access import CheckedTokenAuthentication
from wealthdesk.core.access_audit import audit_access
from wealthdesk.core.models import AuditAction
from wealthdesk.core.params import get_param


def is_locked_out(username: str) -> bool:
    """django-axes holds a lockout for this user name (from any address) that has not cooled off yet."""
    from axes.models import AccessAttempt

    cooloff = dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME or 0))
    return AccessAttempt.objects.filter(username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                                        attempt_time__gte=timezone.now() - cooloff).exists()


def token_expired(token) -> bool:
    return token.created < timezone.now() - dt.timedelta(hours=float(get_param("security.token_hours")))


class ExpiringTokenAuthentication(CheckedTokenAuthentication):
    """Also applies the registered access checks (an advisor's revoked or ended engagement, R4)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)  # unknown token, deactivated user → 401
        if token_expired(token):
            audit_access(actor=None, action=AuditAction.LOGIN_FAILED, result="failed", username=user.username,
                         unit_id=user.unit_id, factor="token", reason="expired")
            token.delete()
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新登录获取新令牌。"))
        if is_locked_out(user.username):
            audit_access(actor=None, action=AuditAction.LOGIN_FAILED, result="failed", username=user.username,
                         unit_id=user.unit_id, factor="token", reason="locked")
            raise exceptions.AuthenticationFailed(_("账号已被锁定，令牌暂不可用。"))
        return user, token
