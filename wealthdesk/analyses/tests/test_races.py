"""DESIGN rule 13 for the narrative (R36): twenty heads' sessions saving the version they read at once — one
wins, the others are refused as stale; twenty first writes at once create one row."""
import pytest
from django.utils import timezone

from wealthdesk.analyses import services
from wealthdesk.analyses.models import AnalysisNarrative
from wealthdesk.analyses.periods import half_of
from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.staff.models import User


def _head():
    return lambda: User.objects.select_related("unit").get(username="head_c1")


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_rewrites_of_the_version_read_let_one_win(world):
    period = half_of(timezone.localdate())
    head = world.users["head_c1"]
    services.narrative_save(actor=head, kind="risk", unit=world.c1, period=period, body="初稿")

    def save(actor):
        return services.narrative_save(actor=actor, kind="risk", unit=actor.unit, period=period,
                                       body=f"修改稿 {id(actor)}", version=1)

    result = race(save, prepare=_head())
    result.assert_one_winner(Conflict)
    note = AnalysisNarrative.objects.get()
    assert note.version == 2 and note.body.startswith("修改稿")


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_first_writes_create_one_narrative(world):
    period = half_of(timezone.localdate())

    def save(actor):
        return services.narrative_save(actor=actor, kind="groups", unit=actor.unit, period=period, body="首稿")

    result = race(save, prepare=_head())
    assert AnalysisNarrative.objects.filter(kind="groups").count() == 1
    assert len(result.winners) == 1, result.errors[:3]
    assert all(isinstance(e, Conflict) for e in result.errors), {type(e).__name__: str(e) for e in result.errors}


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_recompute_requests_start_one_job(world, settings, monkeypatch):
    """Issue 16: twenty heads' sessions asking for a recomputation at once — one job is started, the nineteen
    others are refused with the clear message (checked under ``select_for_update`` of the snapshot row)."""
    from django.core.exceptions import ValidationError

    from wealthdesk.analyses.models import AnalysisSnapshot
    from wealthdesk.jobs.models import BackgroundJob

    settings.CELERY_BROKER_URL = "memory://"
    monkeypatch.setattr("wealthdesk.jobs.services.uses_worker", lambda: True)  # the threads see it (a module)
    monkeypatch.setattr("wealthdesk.jobs.services.send", lambda job_id: None)  # queued: the worker has not taken it
    period = half_of(timezone.localdate()).previous()

    def ask(actor):
        return services.snapshot_request(actor=actor, kind="groups", unit=actor.unit, period=period, recompute=True)

    result = race(ask, prepare=_head())
    result.assert_one_winner(ValidationError)
    assert all("正在计算中" in m for m in result.messages())
    assert BackgroundJob.objects.filter(kind="analyses.compute").count() == 1
    assert AnalysisSnapshot.objects.get().runs == 1
