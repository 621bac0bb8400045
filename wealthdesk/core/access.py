"""Access that ends (R4: an external advisor's access ends on the engagement's end date and at once when revoked).

Apps register ``check(user) -> str | None`` with ``register_access_check``; a non-empty answer is the reason the
user may no longer use the system. The reason is enforced at authentication, on every request:

* pages: ``AccessCheckMiddleware`` (after Django's ``AuthenticationMiddleware``) ends the session and answers 403
  with the reason;
* API: ``CheckedTokenAuthentication`` and ``CheckedSessionAuthentication`` (``DEFAULT_AUTHENTICATION_CLASSES``)
  refuse the token or session with 401/403 and the reason.

Each refusal is audited (``AuditAction.DENIED``, result ``access_ended``). A check must be cheap for users it does
not concern (use ``scope_for(user).has(...)``, cached on the user object).
"""
from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.shortcuts import render
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

_CHECKS: list[Callable] = []


def register_access_check(check: Callable) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def access_refusal(user) -> str | None:
    """The first reason a registered check gives for refusing ``user`` (``None``: the user may go on)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    for check in _CHECKS:
        reason = check(user)
        if reason:
            return str(reason)
    return None


def _audit_refusal(user, reason: str, path: str, method: str) -> None:
    from .access_audit import audit_access
    from .models import AuditAction

    audit_access(actor=user, action=AuditAction.DENIED, result="access_ended", reason=reason, path=path[:200],
                 method=method)


class AccessCheckMiddleware:
    """Pages: a signed-in user whose access has ended is signed out and told why (403). The API is checked by
    its authentication classes below (tokens never pass through the session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if not request.path.startswith("/api/") and user is not None and user.is_authenticated:
            reason = access_refusal(user)
            if reason:
                _audit_refusal(user, reason, request.path, request.method)
                logout(request)
                return render(request, "403.html", {"exception": reason}, status=403)
        return self.get_response(request)


def _check_api(request, user) -> None:
    reason = access_refusal(user)
    if reason:
        _audit_refusal(user, reason, request.path, request.method)
        raise exceptions.AuthenticationFailed(reason)


class CheckedTokenAuthentication(TokenAuthentication):
    """Token authentication that also applies the registered access checks on every request."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _check_api(request, result[0])
        return result


class CheckedSessionAuthentication(SessionAuthentication):
    """Session authentication that also applies the registered access checks on every request."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _check_api(request, result[0])
        return result


def _register_schema_extension() -> None:
    """The OpenAPI schema names the checked session authentication like Django's own (cookie)."""
    from drf_spectacular.authentication import SessionScheme

    class CheckedSessionScheme(SessionScheme):
        target_class = "wealthdesk.core.access.CheckedSessionAuthentication"

    return CheckedSessionScheme


_register_schema_extension()
