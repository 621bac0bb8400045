"""Concurrent writes (DESIGN rule 13): state transitions lock the row, edits carry a version.

* ``lock(obj)`` re-reads ``obj`` in place under ``SELECT … FOR UPDATE``. A transition calls it first, inside its
  ``@transaction.atomic``, and checks the state on what it read there: of twenty concurrent "extend once"
  calls exactly one wins, the others wait for the lock, see the new state and are refused.
* ``VersionedModel`` adds a ``version`` to a model; ``check_version(obj, version)`` refuses a write based on a
  stale read with ``Conflict``; ``save_versioned(obj, fields)`` writes with a conditional
  ``UPDATE … WHERE version = <read>`` and moves the version on, raising ``Conflict`` when another write
  came first (so it is safe even without the lock).
* ``Conflict`` is a ``ValidationError`` keyed ``version``: pages show its message like any other error;
  the API answers it with 409 (``core.api.service_error``).
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import with_derived  # an encrypted field's blind index / tail is written along with it

STALE_MESSAGE = _("该记录已被他人修改（当前版本 %(v)s），您的操作未保存，请刷新页面后重试。")


class Conflict(ValidationError):
    """A write based on a stale version of a record (HTTP 409 in the API)."""

    def __init__(self, message=None, *, current: int | None = None, field: str = "version"):
        if message is None:
            message = STALE_MESSAGE % {"v": current if current is not None else "?"}
        super().__init__({field: [message]})
        self.current = current


class VersionedModel(models.Model):
    """Abstract mixin: an optimistic-lock version, moved on by every save through ``save_versioned``."""

    version = models.PositiveIntegerField(_("版本号"), default=1, db_default=1,
                                          help_text=_("每次修改加一；提交修改时须带上读取时的版本号。"))

    class Meta:
        abstract = True


def lock(obj):
    """Re-read ``obj`` in place under ``select_for_update`` (must be inside a transaction); returns it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() must be called inside transaction.atomic")
    obj.refresh_from_db(from_queryset=type(obj)._base_manager.select_for_update())
    return obj


def parse_version(value) -> int | None:
    """``None``/``""`` → ``None`` (not given); otherwise a positive integer or a ValidationError on ``version``."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"version": [_("版本号必须是正整数。")]}) from None
    if number < 1:
        raise ValidationError({"version": [_("版本号必须是正整数。")]})
    return number


def check_version(obj, version) -> None:
    """Refuse with ``Conflict`` when the caller read another version than the current one (``None`` = not given)."""
    number = parse_version(version)
    if number is not None and number != obj.version:
        raise Conflict(current=obj.version)


def save_versioned(obj, fields, *, expected: int | None = None) -> None:
    """Write ``fields`` of ``obj`` with ``UPDATE … WHERE pk = … AND version = expected`` and move the version on.

    ``expected`` defaults to ``obj.version`` (the version read, under the lock in a transition). Raises
    ``Conflict`` when no row matched: someone else saved in between.
    """
    expected = obj.version if expected is None else expected
    fields = with_derived(type(obj), fields)
    values = {name: getattr(obj, obj._meta.get_field(name).attname) for name in fields if name != "version"}
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        obj.updated_at = timezone.now()
        values["updated_at"] = obj.updated_at
    model = type(obj)
    updated = model._base_manager.filter(pk=obj.pk, version=expected).update(version=F("version") + 1, **values)
    if updated != 1:
        current = model._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise Conflict(current=current)
    obj.version = expected + 1
