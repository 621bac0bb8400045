"""Writing the audit log (DESIGN rule 3). Services and personal-data views call ``audit_record``.

The request context (IP, request id, source) travels in a context variable set by
``RequestContextMiddleware`` for web/API requests and by ``audited_command`` for management commands,
so rows written outside a request are never silently skipped.
"""
from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from .models import AuditAction, AuditLog


@dataclass(frozen=True)
class AuditContext:
    ip: str | None = None
    request_id: str = ""
    source: str = "shell"


_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar("wd_audit", default=AuditContext())  # noqa: B039 (frozen)


_actor: contextvars.ContextVar = contextvars.ContextVar("wd_audit_actor", default=None)


def current_context() -> AuditContext:
    return _context.get()


def current_actor():
    """The signed-in user of the current request (or the one a service acts for), else ``None``.

    Model-level hooks (staff position changes made in the Django admin or a shell) use it to name the actor."""
    actor = _actor.get()
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@contextmanager
def acting_as(actor):
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def audit_context(*, ip: str | None = None, request_id: str = "", source: str):
    token = _context.set(AuditContext(ip=ip, request_id=request_id or uuid.uuid4().hex, source=source))
    try:
        yield
    finally:
        _context.reset(token)


def _object_fields(obj) -> dict:
    if obj is None:
        return {"object_type": "", "object_id": "", "object_repr": ""}
    meta = obj._meta
    return {"object_type": meta.label_lower, "object_id": str(obj.pk or ""), "object_repr": str(obj)[:200]}


def audit_row(*, actor, action: str, obj=None, customer_id=None, unit_id=None, detail=None) -> AuditLog:
    """An unsaved audit row, filled from the current request or command context."""
    ctx = current_context()
    return AuditLog(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or ctx.source,
        action=action,
        customer_id=customer_id,
        unit_id=unit_id,
        ip=ctx.ip,
        request_id=ctx.request_id,
        source=ctx.source,
        detail=detail or {},
        **_object_fields(obj),
    )


def audit_record(*, actor, action: str, obj=None, customer_id=None, unit_id=None, detail=None) -> AuditLog:
    """Append one audit row. Customer-bearing objects pass their customer and unit so heads can browse it."""
    if obj is not None:
        customer_id = customer_id or _customer_id_of(obj)
        unit_id = unit_id or _unit_id_of(obj)
    row = audit_row(actor=actor, action=action, obj=obj, customer_id=customer_id, unit_id=unit_id, detail=detail)
    row.save()
    return row


def audit_many(*, actor, action: str, objects: Iterable, detail=None) -> int:
    """Append one row per object in a single INSERT (list pages and exports of many customers)."""
    rows = [
        audit_row(actor=actor, action=action, obj=o, customer_id=_customer_id_of(o), unit_id=_unit_id_of(o),
                  detail=detail)
        for o in objects
    ]
    AuditLog.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _customer_id_of(obj):
    if obj._meta.label_lower == "customers.customer":
        return obj.pk
    return getattr(obj, "customer_id", None)


def _unit_id_of(obj):
    field = getattr(type(obj).objects, "_queryset_class", None)
    path = getattr(field, "scope_unit_field", None) if field else None
    if path and "__" not in path:
        return getattr(obj, f"{path}_id", None)
    return getattr(obj, "unit_id", None) or getattr(obj, "center_id", None)


__all__ = ["AuditAction", "audit_record", "audit_many", "audit_context", "current_context", "current_actor",
           "acting_as"]
