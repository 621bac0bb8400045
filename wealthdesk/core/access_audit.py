"""Audit of access events (DESIGN rule 3): sign-ins, failed sign-ins, lockouts, 403 denials and list views of
customer data, each with actor, positions, unit, IP (from the request context) and result.

Sign-in events come from Django's auth signals and django-axes' ``user_locked_out``; denials from
``RequestContextMiddleware`` (pages and API alike); list views from ``CustomerDataMixin`` and
``ScopedViewSetMixin`` — one row per list view, never one per row shown.
"""
from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .audit import audit_row
from .models import AuditAction
from .scoping import scope_for


def audit_access(*, actor, action: str, result: str, username: str = "", unit_id=None, **detail):
    """One access row. ``actor`` may be ``None`` (failed sign-in, anonymous denial): ``username`` names it."""
    known = actor if getattr(actor, "is_authenticated", False) else None
    roles = sorted(scope_for(known).roles) if known else []
    row = audit_row(actor=known, action=action, unit_id=unit_id if unit_id is not None else getattr(known, "unit_id", None),
                    detail={"result": result, "roles": roles, **detail})
    if username and not known:
        row.actor_name = username[:150]
    row.object_type = "access"
    row.save()
    return row


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_access(actor=user, action=AuditAction.LOGIN, result="ok")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_access(actor=None, action=AuditAction.LOGIN_FAILED, result="failed",
                 username=str(credentials.get("username", "")))


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit_access(actor=None, action=AuditAction.LOCKOUT, result="locked", username=str(username or ""))


def connect_axes() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="wd_audit_lockout")


def audit_denied(request, response) -> None:
    """A 403 answer (page or API): who was refused what."""
    user = getattr(request, "user", None)
    audit_access(actor=user, action=AuditAction.DENIED, result=str(response.status_code),
                 method=request.method, path=request.path[:200])


def audit_list_view(request, *, what: str, count: int | None) -> None:
    """One row per list view of customer data (the path, the filters and how many rows matched)."""
    audit_access(actor=request.user, action=AuditAction.LIST, result="ok", list=what, path=request.path[:200],
                 query=request.GET.urlencode()[:500], rows=count)
