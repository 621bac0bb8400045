"""DESIGN rule 13 for complaints: transitions lock the row (20 real threads on PostgreSQL, exactly one winner) and
a write based on a stale version is refused (409 in the API, a message on the page)."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wealthdesk.complaints import services
from wealthdesk.complaints.choices import Category, Channel, LogKind, Outcome, Status
from wealthdesk.complaints.models import Complaint, ComplaintLog
from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.staff.models import User


def make(world):
    return services.complaint_create(actor=world.users["lobby_c1"], center=world.c1, channel=Channel.COUNTER,
                                     category=Category.WAITING, content="排队等候超过一小时",
                                     received_on=timezone.localdate() - dt.timedelta(days=2))


def _fresh(pk):
    return lambda: (Complaint.objects.get(pk=pk), User.objects.get(username="head_c1"))


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_extensions_give_one_extension_and_one_log_row(world):
    complaint = make(world)
    result = race(lambda p: services.complaint_extend(actor=p[1], complaint=p[0], reason="涉及产品方核查，案情复杂"),
                  prepare=_fresh(complaint.pk))
    result.assert_one_winner(ValidationError)
    assert all("只能延长一次" in " ".join(e.messages) for e in result.errors)
    assert ComplaintLog.objects.filter(complaint=complaint, kind=LogKind.EXTEND).count() == 1
    assert Complaint.objects.get(pk=complaint.pk).version == complaint.version + 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_closures_close_once(world):
    complaint = make(world)

    def close(p):
        return services.complaint_close(actor=p[1], complaint=p[0], resolution="已致歉并优化叫号", outcome=Outcome.RESOLVED)

    result = race(close, prepare=_fresh(complaint.pk))
    result.assert_one_winner(ValidationError)
    assert all("已办结" in " ".join(e.messages) for e in result.errors)
    assert ComplaintLog.objects.filter(complaint=complaint, kind=LogKind.CLOSE).count() == 1
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_assignments_with_the_version_read_let_one_win_and_refuse_the_others_as_stale(world):
    complaint = make(world)
    owner = world.users["lead_c1"]

    def assign(p):
        return services.complaint_assign(actor=p[1], complaint=p[0], owner=owner, version=p[0].version)

    result = race(assign, prepare=_fresh(complaint.pk))
    result.assert_one_winner(Conflict)
    assert ComplaintLog.objects.filter(complaint=complaint, kind=LogKind.ASSIGN).count() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_escalations_escalate_once(world):
    complaint = make(world)
    result = race(lambda p: services.complaint_escalate(actor=p[1], complaint=p[0], reason="涉及销售适当性"),
                  prepare=_fresh(complaint.pk))
    result.assert_one_winner(ValidationError)
    assert ComplaintLog.objects.filter(complaint=complaint, kind=LogKind.ESCALATE).count() == 1


@pytest.mark.django_db
def test_a_stale_in_memory_complaint_cannot_be_extended_twice(world):
    """The old code trusted the caller's copy: a second call with a stale object extended again."""
    complaint = make(world)
    stale = Complaint.objects.get(pk=complaint.pk)
    services.complaint_extend(actor=world.head_c1, complaint=complaint, reason="涉及产品方核查，案情复杂")
    with pytest.raises(ValidationError) as exc:
        services.complaint_extend(actor=world.head_c1, complaint=stale, reason="涉及产品方核查，案情复杂")
    assert "只能延长一次" in exc.value.message_dict["due_on"][0]
    assert ComplaintLog.objects.filter(complaint=complaint, kind=LogKind.EXTEND).count() == 1


@pytest.mark.django_db
def test_api_answers_409_for_a_stale_version_and_changes_nothing(world, api_as):
    complaint = make(world)
    api = api_as("head_c1")
    read = api.get(f"/api/v1/complaints/{complaint.pk}/").json()["version"]
    ok = api.post(f"/api/v1/complaints/{complaint.pk}/log/", {"note": "已电话联系客户", "version": read}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == read + 1
    stale = api.post(f"/api/v1/complaints/{complaint.pk}/assign/",
                     {"owner": world.users["lead_c1"].pk, "version": read}, format="json")
    assert stale.status_code == 409
    assert "已被他人修改" in stale.json()["version"][0]
    assert Complaint.objects.get(pk=complaint.pk).owner_id != world.users["lead_c1"].pk


@pytest.mark.django_db
def test_page_refuses_a_stale_form_with_a_message(world, client):
    complaint = make(world)
    client.force_login(world.head_c1)
    read = complaint.version
    services.complaint_add_log(actor=world.head_c1, complaint=complaint, note="他人先添加了一条处理记录")
    response = client.post(f"/complaints/{complaint.pk}/close/",
                           {"close-resolution": "已致歉", "close-outcome": Outcome.RESOLVED, "version": read})
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == Status.OPEN
