"""Celery tasks: one generic task runs any registered job; one runs the scheduled jobs (Celery beat)."""
from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=5, max_retries=3,
             name="wealthdesk.jobs.tasks.run_job")
def run_job(self, job_id: int) -> str:
    job = services.execute(job_id)
    return job.status if job else "missing"


@shared_task(name="wealthdesk.jobs.tasks.scheduled")
def scheduled(kind: str, day: str = "") -> int:
    """A daily job, keyed by its kind and day so that beat firing twice (or a catch-up) runs it once."""
    day = day or (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    job, _created = services.enqueue(kind, key=f"{kind}:{day}", params={"day": day})
    return job.pk
