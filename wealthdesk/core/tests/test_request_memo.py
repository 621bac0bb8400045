"""Issue 16: what a page's panels share is computed once per request (``core.memo``) — and never kept beyond it:
the next request, another user's in the same thread, or the same user's after a change, computes afresh."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wealthdesk.core.memo import memo, memo_active, request_memo
from wealthdesk.core.registry import metric_values
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.testing.scale import page_fetcher

pytestmark = pytest.mark.django_db


def test_memo_computes_once_inside_a_request_and_every_time_outside():
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    assert memo("k", compute) == {"n": 1} and memo("k", compute) == {"n": 2}  # no request: nothing kept
    with request_memo():
        first = memo("k", compute)
        first["changed"] = True  # a caller changing what it got does not change what the next one gets
        assert memo("k", compute) == {"n": 3} and len(calls) == 3
        assert memo("other", compute) == {"n": 4}
    assert not memo_active()
    assert memo("k", compute) == {"n": 5}  # the request is over: its values are gone
    with request_memo(active=False):  # a request that writes keeps nothing
        assert memo("k", compute) == {"n": 6} and memo("k", compute) == {"n": 7}


def test_the_same_metric_is_computed_once_per_request(world):
    ids, start, end = [world.cm_c1_1.pk], timezone.localdate().replace(day=1), timezone.localdate()
    with request_memo():
        with CaptureQueriesContext(connection) as first:
            metric_values("contacts", ids, start, end)
        with CaptureQueriesContext(connection) as again:
            metric_values("contacts", ids, start, end)
        with CaptureQueriesContext(connection) as other:
            metric_values("contacts", [world.cm_c1_2.pk], start, end)  # other people: their own figure
    assert len(first) >= 1 and len(again) == 0 and len(other) == len(first)


def _panel(response, key):
    return next((p["ctx"] for p in response.context["panels"] if p["key"] == key), None)


def test_a_second_user_in_the_same_thread_sees_their_own_panels(world):
    from wealthdesk.worklogs.supervision import supervised_manager_list

    fetch = page_fetcher(world, "/worklogs/team/")
    head = fetch("head_c1")
    lead = fetch("lead_c1")
    assert not memo_active()  # nothing left over after a request
    assert scope_for(head.wsgi_request.user).user_id == world.head_c1.pk
    assert scope_for(lead.wsgi_request.user).user_id == world.lead_c1.pk
    board = {row["manager"].pk for row in head.context["board"]}
    assert board == {m.pk for m in supervised_manager_list(world.head_c1)}
    assert {row["manager"].pk for row in lead.context["board"]} == {m.pk for m in supervised_manager_list(world.lead_c1)}
    # the head's page has the center's panels (compliance, quota); the team lead's does not
    assert _panel(head, "compliance.today") is not None and _panel(lead, "compliance.today") is None
    with request_memo():  # one memo, two people: each their own managers
        assert supervised_manager_list(world.head_c1) != [] and \
            {m.pk for m in supervised_manager_list(world.lead_c1)} <= {m.pk for m in supervised_manager_list(world.head_c1)}


def test_a_change_between_two_requests_shows_on_the_next_one(world):
    from wealthdesk.contacts.models import ContactRecord
    from wealthdesk.targets.tests.helpers import plan_c1

    plan_c1(world, timezone.localdate().replace(day=1))
    fetch = page_fetcher(world, "/worklogs/workbench/")

    def contacts_actual():
        ctx = _panel(fetch("cm_c1_1"), "targets.mine")
        return next(p.actual for t, p in ctx["rows"] if t.indicator.metric_key == "contacts")

    before = contacts_actual()
    ContactRecord.objects.create(customer=world.cust_a, staff=world.cm_c1_1, kind="phone", purpose="回访",
                                 contacted_at=timezone.now() - dt.timedelta(minutes=5))
    assert contacts_actual() == before + 1
