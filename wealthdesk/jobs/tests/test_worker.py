"""A core-banking load through a real Celery worker on Redis (issue 16): the upload page hands the file to the
worker and answers at once with the job's progress page; the worker loads it; the page then links the batch.

Redis runs on 127.0.0.1:6379 in development and CI; without it the test is skipped, except under CI."""
import os
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from wealthdesk.config.celery import app as celery_app
from wealthdesk.corebanking.models import DailyBalance, ImportBatch
from wealthdesk.corebanking.tests.helpers import csv_bytes
from wealthdesk.jobs.choices import JobStatus
from wealthdesk.jobs.models import BackgroundJob

BROKER = os.environ.get("WD_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not _redis_up() and not os.environ.get("CI"), reason="Redis is not running")]


@pytest.fixture
def worker():
    from celery.contrib.testing.worker import start_worker

    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = BROKER
    celery_app.conf.broker_connection_retry_on_startup = True
    try:
        with override_settings(CELERY_BROKER_URL=BROKER), \
                start_worker(celery_app, pool="solo", concurrency=1, perform_ping_check=False,
                             queues=["wealthdesk"], shutdown_timeout=30):
            yield
    finally:
        celery_app.conf.broker_url = old


def _wait(job_id: int, seconds: float = 60) -> BackgroundJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = BackgroundJob.objects.get(pk=job_id)
        if job.finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {job.status} {job.step}")


def test_a_balance_load_runs_on_the_worker(world, login_as, worker):
    client = login_as("hq_service")
    data = csv_bytes([["cif_no", "aum"], ["C000000001", "300000.00"], ["C000000003", "9000000.00"]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("corebanking:upload"), {
        "kind": "balances", "as_of": "2026-11-27",
        "file": SimpleUploadedFile("余额20261127.csv", data, content_type="text/csv")})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    job = _wait(job.pk)
    assert job.status == JobStatus.DONE, job.error
    batch = ImportBatch.objects.get(pk=job.result["batch"])
    assert batch.rows_loaded == 2 and DailyBalance.objects.count() == 2 and job.payload is None
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("corebanking:detail", args=[batch.pk]) in page
