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


_bulk_ok: contextvars.ContextVar[bool] = contextvars.ContextVar("wd_audit_bulk_ok", default=False)


class AuditedUpdateQuerySet:
    """Queryset mixin for customer data: ``update()`` and ``delete()`` never bypass the audit log.

    ``qs.update(...)`` is refused unless it runs through ``audited_update`` (which writes one audit row per call
    with the row count); ``qs.delete()`` is always refused (the record gets a status instead). ``Model.save()``
    is not affected (it does not go through ``QuerySet.update``).
    """

    def update(self, **kwargs):
        if not _bulk_ok.get():
            raise PermissionError(f"{self.model._meta.label}: bulk update outside core.audit.audited_update")
        return super().update(**kwargs)

    def delete(self):
        if not _bulk_ok.get():
            raise PermissionError(f"{self.model._meta.label} is never deleted: set its status instead")
        return super().delete()


def audited_update(queryset, *, actor, what: str, detail=None, **changes) -> int:
    """``queryset.update(**changes)`` with one audit row for the whole batch (fields and row count). On the
    customer table the maintained roll-up summaries follow the change in the same transaction (issue 16)."""
    from .summaries import tracked_update

    token = _bulk_ok.set(True)
    try:
        with tracked_update(queryset, changes):
            count = queryset.update(**changes)
    finally:
        _bulk_ok.reset(token)
    if count:
        row = audit_row(actor=actor, action=AuditAction.CHANGE,
                        detail={"what": what, "rows": count, "fields": sorted(changes), **(detail or {})})
        row.object_type = queryset.model._meta.label_lower
        row.save()
    return count


def audited_delete(queryset, *, actor, what: str, detail=None) -> int:
    """The one way to remove customer records: undoing a mistaken import (batch rollback), audited once.

    On PostgreSQL the no-delete trigger lets the rows go only while ``wealthdesk.allow_delete`` is on for this
    transaction (``SET LOCAL``; reset right after)."""
    from django.db import connection, transaction

    with transaction.atomic():
        token = _bulk_ok.set(True)
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL wealthdesk.allow_delete = 'on'")
            count, _per_model = queryset.delete()
        finally:
            _bulk_ok.reset(token)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL wealthdesk.allow_delete = 'off'")
        row = audit_row(actor=actor, action=AuditAction.DELETE,
                        detail={"what": what, "rows": count, **(detail or {})})
        row.object_type = queryset.model._meta.label_lower
        row.save()
    return count


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
           "acting_as", "audited_update", "audited_delete", "AuditedUpdateQuerySet"]
