"""Writes of the analyses app: the head's narrative beside an analysis (R36), versioned and audited."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import Conflict, check_version, lock, save_versioned

from .choices import AnalysisKind
from .models import AnalysisNarrative, AnalysisSnapshot
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


# --- Stored analyses (issue 16): computed once by a background job, read instantly afterwards -----------------

JOB_KIND = "analyses.compute"


def _snapshot_for(kind: str, unit, period: HalfYear) -> AnalysisSnapshot:
    """The snapshot row of (kind, unit, half-year), created empty if new; two first requests at once create one."""
    try:
        with transaction.atomic():
            return AnalysisSnapshot.objects.get_or_create(kind=kind, unit=unit, period_start=period.start)[0]
    except IntegrityError:
        return AnalysisSnapshot.objects.get(kind=kind, unit=unit, period_start=period.start)


def snapshot_request(*, actor, kind: str, unit, period: HalfYear, recompute: bool = False) -> AnalysisSnapshot:
    """Ask for the analysis to be computed (first time) or recomputed (the unit's head only, audited).

    Checked under ``select_for_update`` of the snapshot row: while its job is queued or running a recomputation is
    refused with a clear message (a first computation just returns the job under way). The job is sent (or run
    inline, without a worker) after the lock is released."""
    from wealthdesk.jobs.models import BackgroundJob
    from wealthdesk.jobs.services import run_inline, send, uses_worker

    if kind not in AnalysisKind.values:
        raise ValidationError({"kind": [_("没有这种分析。")]})
    from django.utils import timezone

    if recompute and not (can_write(actor, unit) or period.is_running(timezone.localdate())):
        raise PermissionDenied(_("只有本机构负责人可以要求重新计算。"))
    snap = _snapshot_for(kind, unit, period)
    with transaction.atomic():
        # The job is read by its own query after the lock: joined into the locking query, PostgreSQL re-checks
        # the locked row once the other transaction commits but keeps the statement's snapshot for the joined
        # table, so a job created by the transaction we waited for would read as missing (20 winners).
        snap = AnalysisSnapshot.objects.select_for_update().get(pk=snap.pk)
        if snap.computing:
            if recompute:
                raise ValidationError({"recompute": [_("该分析正在计算中（任务 #%(job)s），请等待完成后再要求重新计算。")
                                                     % {"job": snap.job_id}]})
            return snap
        if snap.result is not None and not recompute:
            return snap
        snap.runs += 1
        job = BackgroundJob.objects.create(
            kind=JOB_KIND, key=f"{JOB_KIND}:{kind}:{unit.pk}:{period.label}:{snap.runs}",
            params={"kind": kind, "unit": unit.pk, "period": period.label, "snapshot": snap.pk},
            created_by=actor, unit_id=unit.pk)
        snap.job = job
        snap.save(update_fields=["runs", "job", "updated_at"])
        audit_record(actor=actor, action=AuditAction.CHANGE if recompute else AuditAction.CREATE, obj=snap,
                     unit_id=unit.pk, detail={"kind": kind, "period": period.label, "job": job.pk,
                                              "recompute": recompute})
        if uses_worker():
            transaction.on_commit(lambda: send(job.pk))
    if not uses_worker():
        run_inline(job.pk)
        snap.refresh_from_db()
    return snap


def snapshot_store(*, snapshot_id: int, result, user, job_id: int | None = None) -> AnalysisSnapshot:
    """Keep a computed result on its snapshot (the job's last step)."""
    from django.utils import timezone

    with transaction.atomic():
        snap = AnalysisSnapshot.objects.select_for_update().get(pk=snapshot_id)
        snap.result, snap.as_of, snap.computed_at, snap.computed_by = (result.to_store(), result.as_of,
                                                                      timezone.now(), user)
        snap.save(update_fields=["result", "as_of", "computed_at", "computed_by", "updated_at"])
    return snap


def snapshot_read(user, kind: str, unit, period: HalfYear) -> AnalysisSnapshot | None:
    """The stored analysis; the first reader of a half-year never computed asks for it (a background job: with a
    worker the page shows its progress, without one it is computed now). The open half-year's figures are
    recomputed once a day: a reader on a later day asks for a fresh computation (the old figures stay shown,
    marked with their day, until it is done)."""
    from django.utils import timezone

    from . import selectors

    snap = selectors.snapshot(user, kind, unit, period)
    today = timezone.localdate()
    stale = (snap is not None and snap.result is not None and period.is_running(today) and snap.computed_at
             and timezone.localdate(snap.computed_at) < today)
    if snap is None or (snap.result is None and not snap.computing) or (stale and not snap.computing):
        snap = snapshot_request(actor=user, kind=kind, unit=unit, period=period, recompute=bool(stale))
        snap = selectors.snapshot(user, kind, unit, period)
    return snap
