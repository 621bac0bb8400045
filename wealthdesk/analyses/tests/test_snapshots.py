"""Stored analyses (issue 16): the snapshot a job keeps equals the live computation; the tier at a past date
joined from the set-based boundary rows equals the per-row history lookup; a recomputation is the head's, audited,
and refused while one is under way."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from wealthdesk.analyses import selectors, services
from wealthdesk.analyses.models import AnalysisSnapshot, TierAtDay
from wealthdesk.analyses.selectors.base import Result
from wealthdesk.analyses.tiers import tier_day_take
from wealthdesk.core.models import AuditLog
from wealthdesk.customers.models import Customer
from wealthdesk.jobs.models import BackgroundJob

pytestmark = pytest.mark.django_db
KINDS = ("contribution", "products", "channels", "investment", "groups", "risk")


def test_the_stored_snapshot_equals_the_live_computation(world, fx):
    head = world.users["head_c1"]
    live = {kind: selectors.analysis(head, kind, world.c1, fx.period).to_store() for kind in KINDS}
    for kind in KINDS:
        snap = services.snapshot_request(actor=head, kind=kind, unit=world.c1, period=fx.period)
        assert snap.job.status == "done" and snap.computed_at and snap.as_of
        stored = selectors.stored_result(head, snap, world.c1, fx.period)
        assert stored.to_store() == live[kind], kind
        assert Result.from_store(snap.result).to_store() == snap.result


def test_the_tier_joined_from_the_boundary_rows_equals_the_per_row_lookup(world, fx, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wealthdesk.analyses.selectors.base import Context

    head = world.users["head_c1"]
    for day in (fx.period.before_start, fx.period.end):
        mark = tier_day_take(day)
        assert mark.customers == Customer.objects.count() == TierAtDay.objects.filter(day=day).count()
    late = Customer.objects.create(cif_no="LATE1", name="后来客户", id_type="passport", id_number="L0000001",
                                   center=world.c1, client_manager=world.cm_c1_1, tier="core")
    assert not TierAtDay.objects.filter(customer=late).exists()  # taken before it came: the per-row fallback
    with CaptureQueriesContext(connection) as joined_sql:
        joined = {kind: selectors.analysis(head, kind, world.c1, fx.period).to_store() for kind in KINDS}
    assert any("analyses_tieratday" in q["sql"] for q in joined_sql.captured_queries)
    monkeypatch.setattr(Context, "taken_days", set())
    for kind in KINDS:
        assert selectors.analysis(head, kind, world.c1, fx.period).to_store() == joined[kind], kind
    assert joined["groups"]["figures"][0][2] == 11  # the late customer counted (at its current tier)


def test_taking_a_day_twice_keeps_one_row_per_customer(world, fx):
    tier_day_take(fx.period.end)
    tier_day_take(fx.period.end)
    assert TierAtDay.objects.filter(day=fx.period.end).count() == Customer.objects.count()
    tier_day_take(fx.period.end, rebuild=True)
    assert TierAtDay.objects.filter(day=fx.period.end).count() == Customer.objects.count()


def test_a_recomputation_is_the_heads_and_audited(world, fx):
    head = world.users["head_c1"]
    first = services.snapshot_request(actor=head, kind="risk", unit=world.c1, period=fx.period)
    again = services.snapshot_request(actor=head, kind="risk", unit=world.c1, period=fx.period, recompute=True)
    assert again.pk == first.pk and again.runs == 2 and again.job_id != first.job_id
    assert AuditLog.objects.filter(action="change", object_id=str(first.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.snapshot_request(actor=world.users["cm_c1_1"], kind="risk", unit=world.c1, period=fx.period,
                                  recompute=True)


@override_settings(CELERY_BROKER_URL="memory://")
def test_a_second_recomputation_while_one_is_queued_is_refused(world, fx, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("wealthdesk.jobs.services.send", lambda job_id: None)  # the worker has not taken it yet
    head = world.users["head_c1"]
    with django_capture_on_commit_callbacks(execute=True):
        snap = services.snapshot_request(actor=head, kind="groups", unit=world.c1, period=fx.period)
    assert snap.computing and snap.result is None
    with pytest.raises(ValidationError) as exc:
        services.snapshot_request(actor=head, kind="groups", unit=world.c1, period=fx.period, recompute=True)
    assert "正在计算中" in str(exc.value)
    # a reader opening it meanwhile gets the job under way, not a second one
    assert services.snapshot_request(actor=head, kind="groups", unit=world.c1, period=fx.period).job_id == snap.job_id
    assert BackgroundJob.objects.filter(kind="analyses.compute").count() == 1
    assert AnalysisSnapshot.objects.get().runs == 1
