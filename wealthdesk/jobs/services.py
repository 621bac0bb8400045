"""Asking for background work and doing it (issue 16).

``enqueue`` creates the job row (or returns the existing one for the same ``key``: idempotency) and either sends
it to a Celery worker — when ``CELERY_BROKER_URL`` is set — or runs it at once, inline, after the current
transaction commits. ``execute`` is what the worker (or the inline path) calls: it claims the job under
``select_for_update`` so two deliveries of one message never run it twice, records progress, and keeps the result
or the error. A job that failed on a transient database error is retried by the task (``tasks.run_job``).
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wealthdesk.core.audit import AuditAction, audit_row

from .choices import JobStatus
from .models import BackgroundJob
from .registry import job_kind

log = logging.getLogger(__name__)


def uses_worker() -> bool:
    return bool(getattr(settings, "CELERY_BROKER_URL", ""))


def enqueue(kind: str, *, key: str, user=None, params: dict | None = None, payload: bytes | None = None,
            unit_id: int | None = None) -> tuple[BackgroundJob, bool]:
    """The job for ``key`` (created if new) and whether it was created. With a worker, a new job is sent once
    the caller's transaction commits; without one it runs before this returns."""
    job_kind(kind)  # an unknown kind fails here, before anything is written
    job, created = BackgroundJob.objects.get_or_create(key=key[:128], defaults={
        "kind": kind, "params": params or {}, "payload": payload, "created_by": user,
        "unit_id": unit_id if unit_id is not None else getattr(user, "unit_id", None)})
    if created:
        audit_row(actor=user, action=AuditAction.CREATE, obj=job, detail={"job": kind, "params": params or {}},
                  unit_id=job.unit_id).save()
        if uses_worker():
            transaction.on_commit(lambda: send(job.pk))
        else:
            run_inline(job.pk)
            job.refresh_from_db()
    return job, created


def send(job_id: int) -> None:
    from .tasks import run_job

    run_job.delay(job_id)


def run_inline(job_id: int) -> None:
    """No broker: do the work now, in the caller's process. A failure is kept on the job (its owner sees it)."""
    try:
        execute(job_id)
    except Exception:
        pass


def _progress(job_id: int):
    def record(step: str, done: int = 0, total: int = 0) -> None:
        BackgroundJob.objects.filter(pk=job_id).update(step=str(step)[:100], done=done, total=total,
                                                       updated_at=timezone.now())
    return record


def execute(job_id: int) -> BackgroundJob | None:
    """Run one job once. Returns the job (``None`` if it does not exist). A finished job is left as it is."""
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == JobStatus.DONE:
            return job
        job.status, job.attempts, job.started_at, job.error = JobStatus.RUNNING, job.attempts + 1, timezone.now(), ""
        job.save(update_fields=["status", "attempts", "started_at", "error", "updated_at"])
    kind = job_kind(job.kind)
    try:
        result = kind.run(job, _progress(job.pk)) or {}
    except Exception as exc:  # the job's error is shown to its owner; the worker decides on a retry
        log.exception("job %s failed", job.pk)
        BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=str(exc)[:500],
                                                       finished_at=timezone.now(), updated_at=timezone.now())
        raise
    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, result=result, payload=None,
                                                   finished_at=timezone.now(), updated_at=timezone.now())
    job.refresh_from_db()
    return job


def result_url(job: BackgroundJob) -> str:
    kind = job_kind(job.kind)
    return kind.result_url(job) if kind.result_url and job.status == JobStatus.DONE else ""
