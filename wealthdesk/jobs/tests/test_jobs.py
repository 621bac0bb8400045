"""Background jobs without a broker (issue 16): a job runs inline, once per key; a failure is kept on the job and a
retry runs it again; a finished job is never run twice; who sees which job; the daily schedule is idempotent."""
import pytest
from django.urls import reverse

from wealthdesk.jobs import services, tasks
from wealthdesk.jobs.choices import JobStatus
from wealthdesk.jobs.models import BackgroundJob
from wealthdesk.jobs.registry import _KINDS, register_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def counting(monkeypatch):
    calls = []

    def run(job, progress):
        calls.append(job.pk)
        progress("step", 1, 2)
        if job.params.get("fail") and len(calls) == 1:
            raise RuntimeError("数据库暂时不可用")
        return {"n": len(calls)}

    monkeypatch.setitem(_KINDS, "test.count", None)
    register_job("test.count", "计数", run)
    return calls


def test_a_job_runs_inline_once_per_key(world, counting):
    job, created = services.enqueue("test.count", key="k1", user=world.head_c1)
    assert created and job.status == JobStatus.DONE and job.result == {"n": 1} and job.percent == 100
    again, created = services.enqueue("test.count", key="k1", user=world.head_c1)
    assert not created and again.pk == job.pk and counting == [job.pk]
    services.execute(job.pk)  # a second delivery of the same message
    assert counting == [job.pk]


def test_a_failed_job_keeps_its_error_and_a_retry_runs_it(world, counting):
    job, _ = services.enqueue("test.count", key="k2", user=world.head_c1, params={"fail": True})
    assert job.status == JobStatus.FAILED and "暂时不可用" in job.error and job.attempts == 1
    done = services.execute(job.pk)
    assert done.status == JobStatus.DONE and done.attempts == 2 and done.error == ""


def test_an_unknown_kind_writes_nothing(world):
    with pytest.raises(KeyError):
        services.enqueue("no.such.kind", key="k3", user=world.head_c1)
    assert not BackgroundJob.objects.exists()


def test_the_payload_is_dropped_when_the_job_is_done(world, counting):
    job, _ = services.enqueue("test.count", key="k4", user=world.head_c1, payload=b"110105198001010016")
    job.refresh_from_db()
    assert job.payload is None


def test_the_daily_schedule_runs_a_day_once(world, monkeypatch):
    calls = []
    monkeypatch.setitem(_KINDS, "alerts.scan", _KINDS["alerts.scan"].__class__(
        "alerts.scan", "扫描", lambda job, progress: calls.append(job.params["day"]) or {}))
    first = tasks.scheduled("alerts.scan", "2026-11-30")
    second = tasks.scheduled("alerts.scan", "2026-11-30")
    assert first == second and calls == ["2026-11-30"]


def test_owners_see_their_jobs_and_outsiders_get_404(world, counting, login_as):
    job, _ = services.enqueue("test.count", key="k5", user=world.cm_c1_1)
    url = reverse("jobs:detail", args=[job.pk])
    assert login_as("cm_c1_1").get(url).status_code == 200
    assert login_as("head_c1").get(url).status_code == 200  # the head of the unit
    for outsider in ("cm_c1_2", "head_c2", "teller_c1"):
        assert login_as(outsider).get(url).status_code == 404, outsider
    assert login_as("advisor_1").get(url).status_code == 403  # an external advisor has no jobs pages at all
    assert login_as("advisor_1").get(reverse("jobs:list")).status_code == 403
    listing = login_as("cm_c1_2").get(reverse("jobs:list"))
    assert listing.status_code == 200 and f'href="{url}"' not in listing.content.decode()


def test_the_progress_fragment_polls_until_the_job_ends(world, counting, login_as):
    job = BackgroundJob.objects.create(kind="test.count", key="k6", created_by=world.cm_c1_1, unit=world.c1,
                                       step="正在导入数据", done=1, total=4)
    client = login_as("cm_c1_1")
    part = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in part and "25%" in part and "<html" not in part
    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    part = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in part and "100%" in part
