"""The monitor's pages, export and API: who opens what (404 outside the subtree, 403 for the wrong role), a bad
date named with its reason, the export opened back, the head's panel, and a fixed query count."""

import pytest
from django.urls import reverse

from wealthdesk.complaints.tests.helpers import record
from wealthdesk.core.models import AuditLog
from wealthdesk.core.testing.exports import sheet

pytestmark = pytest.mark.django_db
DAY = "2026-11-20"


def test_head_sees_the_center_with_every_rule(world, login_as):
    response = login_as("head_c1").get(reverse("compliance:monitor"), {"date": DAY})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-rule="R9"' in text and 'data-rule="R32"' in text and "朝阳理财中心" in text


@pytest.mark.parametrize("name", ["head_c1", "supervisor_c1", "subbranch1_service", "branch1_service",
                                  "hq_service", "auditor"])
def test_readers_open_their_own_unit(world, login_as, name):
    assert login_as(name).get(reverse("compliance:monitor")).status_code == 200


@pytest.mark.parametrize("name", ["cm_c1_1", "lead_c1", "teller_c1", "lobby_c1", "archivist_c1", "advisor_1",
                                  "expert_1", "quality_b1"])
def test_other_positions_are_refused(world, login_as, api_as, name):
    assert login_as(name).get(reverse("compliance:monitor")).status_code == 403
    assert login_as(name).get(reverse("compliance:export")).status_code == 403
    assert api_as(name).get("/api/v1/compliance/").status_code == 403


def test_a_unit_outside_the_subtree_is_404(world, login_as, api_as):
    client = login_as("head_c1")
    for unit in (world.c2, world.sub1, world.hq):
        assert client.get(reverse("compliance:unit", args=[unit.pk])).status_code == 404
        assert client.get(reverse("compliance:unit_export", args=[unit.pk])).status_code == 404
        assert api_as("head_c1").get(f"/api/v1/compliance/{unit.pk}/").status_code == 404
    assert login_as("branch1_service").get(reverse("compliance:unit", args=[world.c2.pk])).status_code == 404
    assert login_as("branch1_service").get(reverse("compliance:unit", args=[world.c1.pk])).status_code == 200


@pytest.mark.parametrize("value, reason", [("2099-01-01", "不能晚于今天"), ("2026-13-01", ""), ("abc", "")])
def test_a_bad_date_is_named_and_refused(world, login_as, api_as, value, reason):
    response = login_as("head_c1").get(reverse("compliance:monitor"), {"date": value})
    assert response.status_code == 400
    assert "date" in response.content.decode() and reason in response.content.decode()
    api = api_as("head_c1").get("/api/v1/compliance/", {"date": value})
    assert api.status_code == 400 and "date" in api.content.decode()


def test_head_office_sees_branches_weakest_first_and_drills_down(world, login_as):
    record(world)  # an open complaint in C1
    response = login_as("hq_service").get(reverse("compliance:monitor"), {"date": DAY})
    children = response.context["m"]["children"]
    assert {c.unit for c in children} == {world.branch1, world.branch2}
    rates = [c.rate if c.rate is not None else 2 for c in children]
    assert rates == sorted(rates)
    text = response.content.decode()
    assert reverse("compliance:unit", args=[world.branch1.pk]) in text
    deeper = login_as("hq_service").get(reverse("compliance:unit", args=[world.c1.pk]), {"date": DAY})
    assert deeper.status_code == 200
    assert [u.name for u in deeper.context["crumbs"]] == ["总行", "北京分行", "朝阳支行", "朝阳理财中心"]


def test_api_rows_carry_the_figures_and_links(world, api_as):
    data = api_as("branch1_service").get(f"/api/v1/compliance/{world.c1.pk}/", {"date": DAY}).json()
    assert data["id"] == world.c1.pk and data["date"] == DAY
    rules = {r["id"]: r for r in data["rules"]}
    assert rules["R9"]["measured"] and rules["R9"]["due"] == 28 and rules["R9"]["overdue"] == 28
    assert rules["R9"]["overdue_url"] == reverse("worklogs:missing")
    unmeasured = [r for r in data["rules"] if not r["measured"]]
    assert all(r["due"] is None and r["rate"] is None for r in unmeasured)


def test_the_export_opens_back_and_is_audited(world, login_as):
    response = login_as("head_c1").get(reverse("compliance:export"), {"date": DAY})
    assert response.status_code == 200
    rows = [[c for c in row] for row in sheet(response).iter_rows(min_row=5, values_only=True)]
    r9 = next(r for r in rows if r[0] == "工作日志按日提交")
    assert list(r9[1:4]) == [28, 0, 28]
    assert AuditLog.objects.filter(action="export", actor=world.head_c1).count() == 1


def test_the_head_page_shows_what_is_overdue(world, login_as):
    response = login_as("head_c1").get(reverse("worklogs:head"))
    assert response.status_code == 200
    assert 'data-testid="compliance-late"' in response.content.decode()


def test_query_count_does_not_grow_with_the_data(world, login_as, django_assert_max_num_queries):
    client = login_as("hq_service")
    with django_assert_max_num_queries(60) as first:
        client.get(reverse("compliance:monitor"), {"date": DAY})
    for _ in range(5):
        record(world)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("compliance:monitor"), {"date": DAY})
