"""Writes of the analyses app: the head's narrative beside an analysis (R36), versioned and audited."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import Conflict, check_version, lock, save_versioned

from .choices import AnalysisKind
from .models import AnalysisNarrative
from .periods import HalfYear
from .selectors import can_write


def narrative_save(*, actor, kind: str, unit, period: HalfYear, body: str, version=None) -> AnalysisNarrative:
    """Write (or rewrite) the narrative of one analysis, unit and half-year. Only the unit's own head (or the
    upper level's service desk for its own unit) writes it. ``version`` is the version read: none means "there was
    no narrative yet", so a write without it over an existing one is stale too (409), like a wrong number."""
    if kind not in AnalysisKind.values:
        raise ValidationError({"kind": [_("没有这种分析。")]})
    if not can_write(actor, unit):
        raise PermissionDenied(_("只有本机构负责人可以撰写分析意见。"))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("分析意见不能为空。")]})
    try:
        return _save(actor=actor, kind=kind, unit=unit, period=period, body=body, version=version)
    except IntegrityError:  # two first writes at once: the second is a stale write of the first
        existing = AnalysisNarrative.objects.get(kind=kind, unit=unit, period_start=period.start)
        raise Conflict(current=existing.version) from None


@transaction.atomic
def _save(*, actor, kind, unit, period, body, version) -> AnalysisNarrative:
    existing = AnalysisNarrative.objects.filter(kind=kind, unit=unit, period_start=period.start).first()
    if existing is None:
        if version not in (None, "", 0, "0"):
            check_version(AnalysisNarrative(version=0), version)
        obj = AnalysisNarrative(kind=kind, unit=unit, period_start=period.start, body=body, created_by=actor,
                                updated_by=actor)
        obj.full_clean(validate_unique=False, validate_constraints=False)  # the constraint decides, below the race
        with transaction.atomic():
            obj.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, unit_id=unit.pk,
                     detail={"kind": kind, "period": period.label})
        return obj
    lock(existing)
    if version in (None, ""):
        raise Conflict(current=existing.version)
    check_version(existing, version)
    existing.body, existing.updated_by = body, actor
    existing.full_clean()
    save_versioned(existing, ["body", "updated_by"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=existing, unit_id=unit.pk,
                 detail={"kind": kind, "period": period.label, "version": existing.version})
    return existing
