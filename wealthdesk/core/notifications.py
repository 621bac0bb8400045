"""Notifications to staff (DESIGN rule 2: sent with ``transaction.on_commit``).

    from wealthdesk.core.notifications import notify
    notify(recipients=[cm], text=_("客户 %(name)s 已由您负责。") % {...}, url=reverse(...), obj=customer)

Nothing is written if the surrounding transaction rolls back. The text is stored as rendered (in the language
active when it was sent: Chinese in services); keep personal data out of it or masked (``core.masking``).
The bell in the navbar (``core:notification-bell``), the inbox page (``core:notifications``) and
``/api/v1/notifications/`` read them; each user sees only their own.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Notification


def _rows(recipients, text: str, url: str, obj) -> list[Notification]:
    seen, rows = set(), []
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None and obj.pk is not None else ""
    for user in recipients:
        pk = getattr(user, "pk", user)
        if pk is None or pk in seen:
            continue
        seen.add(pk)
        rows.append(Notification(recipient_id=pk, text=str(text)[:300], url=url or "", object_type=object_type,
                                 object_id=object_id))
    return rows


def notify(*, recipients: Iterable, text: str, url: str = "", obj=None) -> None:
    """Queue one notification per recipient (users or user ids; duplicates and ``None`` skipped), written when
    the current transaction commits (at once outside a transaction)."""
    rows = _rows(list(recipients), str(text), url, obj)
    if rows:
        transaction.on_commit(lambda: Notification.objects.bulk_create(rows))


def unread_count(user) -> int:
    return Notification.objects.visible_to(user).unread().count()


def mark_read(*, actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's notifications read (all unread ones when ``ids`` is None); returns how many."""
    qs = Notification.objects.visible_to(actor).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
