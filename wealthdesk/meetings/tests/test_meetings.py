"""R14 and R15: minutes with a recorder (rotation suggested), action items on the owner's workbench, read receipts
and comments, the previous meeting's open items, Excel in the form's layout; the sub-branch's biweekly meetings
against the 14-day limit."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wealthdesk.core.testing.exports import sheet
from wealthdesk.meetings import problems, services
from wealthdesk.meetings.choices import ActionStatus, MeetingKind
from wealthdesk.meetings.models import ActionItem, Meeting, MeetingRead
from wealthdesk.meetings.selectors import previous_open_actions, upper_compliance

from .factories import days_ago, escalated, problem, sub_meeting, team1, team_meeting

pytestmark = pytest.mark.django_db


def test_team_meeting_without_recorder_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(actor=world.lead_c1, kind=MeetingKind.TEAM_WEEKLY, held_on=timezone.localdate(),
                                title="周例会", team=team1(world), recorder=None)
    assert "recorder" in exc.value.message_dict
    assert not Meeting.objects.exists()


def test_recorder_must_be_in_the_team(world):
    with pytest.raises(ValidationError):
        services.meeting_create(actor=world.lead_c1, kind=MeetingKind.TEAM_WEEKLY, held_on=timezone.localdate(),
                                title="周例会", team=team1(world), recorder=world.cm_c2_1)


def test_recorder_rotation_suggests_the_next_manager(world):
    team = team1(world)
    assert services.suggest_recorder(team) == world.cm_c1_1
    team_meeting(world)
    assert services.suggest_recorder(team) == world.cm_c1_2


def test_only_the_right_level_holds_each_kind(world):
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=world.cm_c1_1, kind=MeetingKind.TEAM_WEEKLY, held_on=timezone.localdate(),
                                title="x", team=team1(world), recorder=world.cm_c1_1)
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=world.head_c1, kind=MeetingKind.SUBBRANCH_BIWEEKLY,
                                held_on=timezone.localdate(), title="x")
    m = sub_meeting(world, timezone.localdate())
    assert m.unit == world.sub1
    assert set(m.attendance.values_list("person__username", flat=True)) == {"head_c1", "subbranch1_service"}


def test_action_item_needs_owner_and_due_date(world):
    m = team_meeting(world)
    with pytest.raises(ValidationError) as exc:
        services.action_item_add(actor=world.lead_c1, meeting=m, text="回访到期客户", owner=None, due_date=None)
    assert {"owner", "due_date"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        services.action_item_add(actor=world.lead_c1, meeting=m, text="x", owner=world.cm_c2_1,
                                 due_date=timezone.localdate())
    assert not ActionItem.objects.exists()


def test_action_item_ticked_off_by_its_owner_only(world):
    m = team_meeting(world)
    item = services.action_item_add(actor=world.lead_c1, meeting=m, text="整理到期客户名单", owner=world.cm_c1_1,
                                    due_date=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(PermissionDenied):
        services.action_item_done(actor=world.cm_c1_2, item=item)
    item = services.action_item_done(actor=world.cm_c1_1, item=item)
    assert item.status == ActionStatus.DONE
    with pytest.raises(ValidationError):
        services.action_item_done(actor=world.cm_c1_1, item=item)


def test_previous_meetings_open_items_show_before_the_next(world):
    first = team_meeting(world, held_on=days_ago(7))
    services.action_item_add(actor=world.lead_c1, meeting=first, text="开展沙龙", owner=world.cm_c1_1,
                             due_date=timezone.localdate())
    done = services.action_item_add(actor=world.lead_c1, meeting=first, text="做完的", owner=world.cm_c1_2,
                                    due_date=timezone.localdate())
    services.action_item_done(actor=world.cm_c1_2, item=done)
    second = team_meeting(world)
    assert [a.text for a in previous_open_actions(second)] == ["开展沙龙"]


def test_stale_minutes_are_refused(world):
    m = team_meeting(world)
    services.meeting_save(actor=world.cm_c1_1, meeting=m, version=1, decisions="加强到期客户挽留")
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(actor=world.lead_c1, meeting=m, version=1, decisions="覆盖")
    assert "version" in exc.value.message_dict
    m.refresh_from_db()
    assert m.decisions == "加强到期客户挽留" and m.version == 2


def test_head_reading_leaves_a_receipt_and_comments(world):
    m = team_meeting(world)
    assert services.meeting_mark_read(reader=world.lead_c1, meeting=m) is None
    services.meeting_mark_read(reader=world.head_c1, meeting=m)
    services.meeting_mark_read(reader=world.head_c1, meeting=m)
    assert MeetingRead.objects.filter(meeting=m).count() == 1
    services.meeting_comment(actor=world.head_c1, meeting=m, text="沙龙请提前报名单")
    with pytest.raises(PermissionDenied):
        services.meeting_comment(actor=world.cm_c1_1, meeting=m, text="x")
    with pytest.raises(ValidationError):
        services.meeting_comment(actor=world.head_c1, meeting=m, text=" ")


def test_escalated_problem_pulled_onto_the_subbranch_agenda(world):
    p = escalated(world)
    m = sub_meeting(world, timezone.localdate())
    m = problems.meeting_add_problem(actor=world.subbranch1_service, meeting=m, problem=p)
    assert list(m.problems.all()) == [p] and p.title in m.agenda
    with pytest.raises(ValidationError):
        problems.meeting_add_problem(actor=world.subbranch1_service, meeting=m, problem=p)
    other = problem(world, "本中心的问题")
    with pytest.raises(ValidationError):
        problems.meeting_add_problem(actor=world.subbranch1_service, meeting=m, problem=other)


def test_subbranch_compliance_flags_gaps_over_fourteen_days(world):
    today = timezone.localdate()
    start = today - dt.timedelta(days=59)
    for ago in (58, 44, 10):  # 44 → 10 is a 34-day gap
        sub_meeting(world, days_ago(ago))
    rows = {r["unit"].code: r for r in upper_compliance(world.branch1_service, start, today)["subbranches"]}
    s1 = rows["S1"]
    assert s1["held"] == 3 and s1["due"] == 5
    assert [(g["from"], g["to"]) for g in s1["gaps"]] == [(days_ago(44), days_ago(10))]
    exactly = upper_compliance(world.subbranch1_service, days_ago(10), days_ago(10) + dt.timedelta(days=14))
    assert exactly["subbranches"][0]["gaps"] == []  # 14 days is not a gap


def test_branch_monthly_meeting_counted_per_month(world):
    services.meeting_create(actor=world.branch1_service, kind=MeetingKind.BRANCH_MONTHLY,
                            held_on=timezone.localdate(), title="月度经营分析")
    c = upper_compliance(world.branch1_service, timezone.localdate().replace(day=1), timezone.localdate())
    assert c["branches"][0]["held"] == 1 and c["branches"][0]["due"] == 1


def test_minutes_export_in_the_forms_layout(world, login_as):
    m = team_meeting(world)
    services.meeting_save(actor=world.lead_c1, meeting=m, version=1, decisions="加强挽留")
    services.action_item_add(actor=world.lead_c1, meeting=m, text="=HYPERLINK(\"x\")", owner=world.cm_c1_1,
                             due_date=timezone.localdate())
    response = login_as("head_c1").get(f"/meetings/{m.pk}/export/")
    assert response.status_code == 200
    ws = sheet(response)
    assert ws["A1"].value == "《周/月例会记录》"
    assert [c.value for c in ws[4]][:5] == ["栏目", "内容", "责任人", "完成时限", "状态"]
    cells = {row[0].value: row[1] for row in ws.iter_rows(min_row=5) if row[0].value}
    assert cells["记录人"].value == "cm_c1_1" and cells["决议"].value == "加强挽留"
    action = cells["待办事项 1"]  # a formula typed into an action item stays inert text
    assert action.value == '=HYPERLINK("x")' and action.data_type != "f" and action.quotePrefix


def test_minutes_pdf_opens_back_with_the_text_the_watermark_and_one_audit_row(login_as, world):
    """R14: the minutes as a server-rendered PDF (core.pdf): Chinese text readable, watermark, hidden export id,
    one audit row carrying the SHA-256 of the bytes served."""
    import hashlib
    import io

    from pypdf import PdfReader

    from wealthdesk.core.models import AuditAction, AuditLog

    m = team_meeting(world)
    services.meeting_save(actor=world.lead_c1, meeting=m, version=1, decisions="加强挽留")
    before = AuditLog.objects.filter(action=AuditAction.EXPORT).count()
    response = login_as("head_c1").get(f"/meetings/{m.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "周/月例会记录" in text and "加强挽留" in text and "严禁外传" in text
    row = AuditLog.objects.filter(action=AuditAction.EXPORT).latest("id")
    assert AuditLog.objects.filter(action=AuditAction.EXPORT).count() == before + 1
    assert row.detail["sha256"] == hashlib.sha256(response.content).hexdigest() and row.detail["format"] == "pdf"
    assert row.detail["export_id"] in (reader.metadata.get("/Keywords") or "")


def test_minutes_pdf_of_another_center_is_404(login_as, world):
    m = team_meeting(world)
    assert login_as("head_c2").get(f"/meetings/{m.pk}/pdf/").status_code == 404
