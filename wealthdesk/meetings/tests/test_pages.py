"""The pages and the API behind them: bad input names the field and changes nothing; the head page shows today's
huddles and the problem deadlines; action items on the workbench; list pages keep their query counts."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.meetings import services
from wealthdesk.meetings.choices import HuddleKind, ProblemStatus
from wealthdesk.meetings.models import ActionItem, Huddle, Meeting, Problem

from .factories import answered, escalated, help_item, team1, team_meeting

pytestmark = pytest.mark.django_db


def test_record_form_rejects_a_ninety_minute_huddle(world, login_as):
    client = login_as("lead_c1")
    earlier = timezone.localtime() - dt.timedelta(hours=2)
    response = client.post("/meetings/huddles/new/", {
        "team": team1(world).pk, "kind": "morning", "held_on": earlier.date().isoformat(),
        "start_time": earlier.strftime("%H:%M"), "duration_minutes": 90})
    assert response.status_code == 400
    assert "时长应在 1–30 分钟之间" in response.content.decode()
    assert not Huddle.objects.exists()


def test_record_form_rejects_a_huddle_in_the_future(world, login_as):
    client = login_as("lead_c1")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post("/meetings/huddles/new/", {
        "team": team1(world).pk, "kind": "morning", "held_on": tomorrow.isoformat(), "start_time": "08:30",
        "duration_minutes": 15})
    assert response.status_code == 400 and "不能登记在未来的时间" in response.content.decode()
    assert not Huddle.objects.exists()


def test_open_close_from_the_team_page(world, login_as):
    client = login_as("lead_c1")
    page = client.get("/worklogs/team/").content.decode()
    assert f'data-testid="open-morning-{team1(world).pk}"' in page
    response = client.post("/meetings/huddles/open/", {"team": team1(world).pk, "kind": "morning"})
    huddle = Huddle.objects.get()
    assert response["Location"] == f"/meetings/huddles/{huddle.pk}/"
    response = client.post(f"/meetings/huddles/{huddle.pk}/", {"action": "close", "duration_minutes": "90"})
    assert response.status_code == 400 and "90" in response.content.decode()
    huddle.refresh_from_db()
    assert huddle.status == "open"
    client.post(f"/meetings/huddles/{huddle.pk}/", {"action": "close", "duration_minutes": "14", "summary": "好"})
    huddle.refresh_from_db()
    assert huddle.status == "closed" and huddle.duration_minutes == 14


def test_meeting_form_without_recorder_shows_the_message(world, login_as):
    client = login_as("lead_c1")
    assert "cm_c1_1" in client.get("/meetings/new/").content.decode()  # the rotation's suggestion
    response = client.post("/meetings/new/", {"kind": "team-weekly", "team": team1(world).pk,
                                              "held_on": timezone.localdate().isoformat(), "title": "周例会"})
    assert response.status_code == 400 and "请指定一名客户经理担任本次会议记录人" in response.content.decode()
    assert not Meeting.objects.exists()


def test_action_item_form_without_owner_or_due_date(world, login_as):
    m = team_meeting(world)
    response = login_as("lead_c1").post(f"/meetings/{m.pk}/", {"action": "action_item", "text": "沙龙"})
    body = response.content.decode()
    assert response.status_code == 400 and "请指定待办事项的责任人" in body and "请填写完成时限" in body
    assert not ActionItem.objects.exists()


def test_stale_minutes_answer_409_with_a_message(world, login_as):
    m = team_meeting(world)
    services.meeting_save(actor=world.cm_c1_1, meeting=m, version=1, minutes="先写的")
    response = login_as("lead_c1").post(f"/meetings/{m.pk}/", {"action": "minutes", "version": 1, "title": "周例会",
                                                                "minutes": "后写的"})
    assert response.status_code == 409 and "已在别处被修改" in response.content.decode()


def test_action_item_on_the_owners_workbench_and_ticked_off_there(world, login_as):
    m = team_meeting(world)
    item = services.action_item_add(actor=world.lead_c1, meeting=m, text="整理到期客户名单", owner=world.cm_c1_1,
                                    due_date=timezone.localdate())
    client = login_as("cm_c1_1")
    page = client.get("/worklogs/workbench/").content.decode()
    assert "整理到期客户名单" in page and f'data-testid="tick-{item.pk}"' in page
    response = client.post(f"/meetings/actions/{item.pk}/done/", {"next": "/worklogs/workbench/"})
    assert response["Location"] == "/worklogs/workbench/"
    item.refresh_from_db()
    assert item.status == "done"


def test_head_reading_the_minutes_leaves_a_receipt(world, login_as):
    m = team_meeting(world)
    login_as("head_c1").get(f"/meetings/{m.pk}/")
    page = login_as("lead_c1").get(f"/meetings/{m.pk}/").content.decode()
    assert "head_c1" in page.split('data-testid="read-receipts"')[1][:300]


def test_head_page_shows_feedback_deadline_and_overdue(world, login_as):
    p = answered(world)
    Problem.objects.filter(pk=p.pk).update(feedback_due=timezone.localdate() - dt.timedelta(days=1))
    page = login_as("head_c1").get("/worklogs/team/").content.decode()
    assert 'data-panel="meetings.problems"' in page and 'data-testid="feedback-overdue-count"' in page


def test_feedback_on_another_centers_problem_is_404_and_changes_nothing(world, login_as):
    p = answered(world)
    response = login_as("head_c2").post(f"/meetings/problems/{p.pk}/feedback/", {"text": "x"})
    assert response.status_code == 404
    p.refresh_from_db()
    assert p.status == ProblemStatus.ANSWERED


def test_escalating_twice_on_the_page_shows_the_message(world, login_as):
    p = escalated(world)
    response = login_as("head_c1").post(f"/meetings/problems/{p.pk}/escalate/", {"to_unit": world.branch1.pk})
    assert response.status_code == 400 and "不能重复上报" in response.content.decode()
    p.refresh_from_db()
    assert p.holder_unit == world.sub1


def test_empty_feedback_shows_the_message(world, login_as):
    p = answered(world)
    response = login_as("head_c1").post(f"/meetings/problems/{p.pk}/feedback/", {"text": ""})
    assert response.status_code == 400 and "请填写向客户经理反馈的内容" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 12])
def test_list_pages_keep_their_query_counts(world, login_as, django_assert_max_num_queries, rows):
    for i in range(rows):
        m = team_meeting(world, held_on=timezone.localdate() - dt.timedelta(days=i))
        services.action_item_add(actor=world.lead_c1, meeting=m, text="x", owner=world.cm_c1_1,
                                 due_date=timezone.localdate())
        help_item(world, text=f"事项{i}", day=timezone.localdate() - dt.timedelta(days=i))
    client = login_as("head_c1")
    for url in ("/meetings/", "/meetings/problems/", "/meetings/actions/", "/meetings/huddles/"):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_api_lists_are_paginated_with_ids_and_in_the_schema(world, api_as):
    team_meeting(world)
    client = api_as("head_c1")
    for url in ("/api/v1/meetings/", "/api/v1/problems/", "/api/v1/huddles/", "/api/v1/action-items/"):
        body = client.get(url).json()
        assert "results" in body and "count" in body, url
    assert client.get("/api/v1/meetings/?kind=team-weekly").json()["results"][0]["id"]
    schema = client.get("/api/v1/schema/").content.decode()
    for path in ("/api/v1/huddles/", "/api/v1/meetings/", "/api/v1/action-items/", "/api/v1/problems/{id}/escalate/",
                 "/api/v1/problems/{id}/feedback/"):
        assert path in schema


def test_api_problem_chain_and_bad_input(world, api_as):
    p = api_as("cm_c1_1").post("/api/v1/problems/", {"title": "系统慢"}, format="json").json()
    head = api_as("head_c1")
    assert head.post(f"/api/v1/problems/{p['id']}/escalate/", {"to_unit": world.c2.pk}, format="json").status_code == 400
    ok = head.post(f"/api/v1/problems/{p['id']}/escalate/", {"to_unit": world.sub1.pk}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "escalated"
    twice = head.post(f"/api/v1/problems/{p['id']}/escalate/", {"to_unit": world.branch1.pk}, format="json")
    assert twice.status_code == 400 and "不能重复上报" in str(twice.json())
    answer = api_as("subbranch1_service").post(f"/api/v1/problems/{p['id']}/answer/", {"text": "已协调"}, format="json")
    assert answer.json()["feedback_due"]
    assert head.post(f"/api/v1/problems/{p['id']}/feedback/", {"text": "已告知"},
                     format="json").json()["fed_back_in_time"] is True


def test_api_huddle_bad_input(world, api_as):
    client = api_as("lead_c1")
    start = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    response = client.post("/api/v1/huddles/", {"team": team1(world).pk, "kind": HuddleKind.MORNING,
                                                "started_at": start, "duration_minutes": 90}, format="json")
    assert response.status_code == 400 and "duration_minutes" in response.json()
    response = client.post("/api/v1/huddles/", {"team": team1(world).pk, "kind": "morning", "bogus": 1},
                           format="json")
    assert response.status_code == 400 and "bogus" in response.json()
    assert not Huddle.objects.exists()
    assert client.post("/api/v1/huddles/", {"team": team1(world).pk, "kind": "morning"},
                       format="json").status_code == 201


def test_api_meeting_without_recorder_and_action_without_owner(world, api_as):
    client = api_as("lead_c1")
    response = client.post("/api/v1/meetings/", {"kind": "team-weekly", "team": team1(world).pk,
                                                 "held_on": timezone.localdate().isoformat(), "title": "周会"},
                           format="json")
    assert response.status_code == 400 and "recorder" in response.json()
    m = team_meeting(world)
    response = client.post(f"/api/v1/meetings/{m.pk}/actions/", {"text": "回访"}, format="json")
    assert response.status_code == 400 and {"owner", "due_date"} <= set(response.json())


def test_the_meetings_pages_have_their_english_entries():
    """The pages' headings and messages are in the English catalogue (the lead compiles it after merging)."""
    import re
    from pathlib import Path

    po = (Path(__file__).resolve().parents[3] / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    for msgid, english in (("日志中待收集的需协助事项", "Help-needed items from daily logs to collect"),
                           ("晨会/夕会召开情况", "Huddles held"),
                           ("已上报至%(unit)s，正在等待答复，不能重复上报。",
                            "Already escalated to %(unit)s and waiting for the answer; it cannot be escalated twice."),
                           ("请指定一名客户经理担任本次会议记录人。", "Name a client manager as this meeting's recorder.")):
        assert re.search(rf'^msgid "{re.escape(msgid)}"\nmsgstr "{re.escape(english)}"$', po, re.M), msgid
