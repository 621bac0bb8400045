"""Complaint services read like the handbook: R30 recording, R32 owner and deadline, extension, escalation, closing."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wealthdesk.complaints import services
from wealthdesk.complaints.choices import Category, Channel, LogKind, Outcome, Satisfaction, Status
from wealthdesk.complaints.deadlines import due_date
from wealthdesk.complaints.models import Complaint
from wealthdesk.core.calendar import seed_calendar
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.params import set_param

pytestmark = pytest.mark.django_db


def make(world, actor="lobby_c1", **kw):
    args = {"actor": world.users[actor], "center": world.c1, "channel": Channel.COUNTER,
            "category": Category.WAITING, "content": "排队等候超过一小时"}
    args.update(kw)
    return services.complaint_create(**args)


def test_due_date_counts_fifteen_working_days_from_acceptance(db):
    seed_calendar()
    # 2026-11-02 (Monday) + 15 working days = 2026-11-23 (Monday).
    assert due_date(dt.date(2026, 11, 2)) == dt.date(2026, 11, 23)


def test_due_date_from_a_friday_skips_the_weekends(db):
    seed_calendar()
    # 2026-11-06 (Friday) + 15 working days = 2026-11-27 (Friday).
    assert due_date(dt.date(2026, 11, 6)) == dt.date(2026, 11, 27)


def test_the_national_day_holiday_does_not_count(db):
    seed_calendar()
    # 2026-09-16: 17, 18, 20 (调休 Sunday), 21–24, 28–30, then 10-08, 09, 10 (调休 Saturday), 12, 13.
    assert due_date(dt.date(2026, 9, 16)) == dt.date(2026, 10, 13)


def test_an_adjusted_working_saturday_counts(db):
    seed_calendar()
    # 2026-09-25 (中秋) → 28, 29, 30, 10-08, 09, 10 (调休 Saturday), 12 … 16, 19 … 22.
    assert due_date(dt.date(2026, 9, 25)) == dt.date(2026, 10, 22)


def test_due_days_come_from_the_parameter(db):
    set_param("complaint.due_days", 10)
    assert due_date(dt.date(2026, 11, 2)) == dt.date(2026, 11, 16)


def test_lobby_manager_records_a_complaint_owned_by_the_center_head(world):
    complaint = make(world)
    assert complaint.owner == world.head_c1
    assert complaint.receiver == world.lobby_c1
    assert complaint.status == Status.OPEN
    assert complaint.due_on == due_date(complaint.received_on)
    assert complaint.logs.get().kind == LogKind.ACCEPTED
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_type="complaints.complaint").count() == 1


def test_contract_for_the_opinion_book_accepts_an_explicit_receiver_and_source(world):
    complaint = services.complaint_create(actor=world.head_c1, center=world.c1, channel=Channel.ONLINE,
                                          category=Category.OTHER, content="意见簿：空调太冷",
                                          receiver=world.lobby_c1, source="opinion:7")
    assert complaint.receiver == world.lobby_c1 and complaint.source == "opinion:7" and complaint.is_anonymous


def test_advisor_cannot_record_a_complaint(world):
    with pytest.raises(PermissionDenied):
        make(world, actor="advisor_1")


def test_teller_cannot_record_for_another_center(world):
    with pytest.raises(ValidationError) as exc:
        make(world, actor="teller_c1", center=world.c2)
    assert "center" in exc.value.message_dict
    assert Complaint.objects.count() == 0


def test_customer_must_belong_to_the_accepting_center(world):
    with pytest.raises(ValidationError) as exc:
        make(world, customer=world.cust_b)
    assert "客户不属于受理机构" in exc.value.message_dict["customer"][0]


def test_empty_content_is_refused_with_a_message_naming_the_field(world):
    with pytest.raises(ValidationError) as exc:
        make(world, content="  ")
    assert "content" in exc.value.message_dict
    assert Complaint.objects.count() == 0


def test_head_extends_once_to_thirty_days_with_a_reason(world):
    seed_calendar()
    complaint = make(world, received_on=dt.date(2026, 11, 2))
    services.complaint_extend(actor=world.head_c1, complaint=complaint, reason="涉及产品方核查，案情复杂")
    complaint.refresh_from_db()
    # 2026-11-02 + 30 working days = 2026-12-14 (Monday); the original 15 working days ended on 11-23
    assert complaint.due_on == dt.date(2026, 12, 14) and complaint.original_due_on == dt.date(2026, 11, 23)
    assert complaint.is_extended
    with pytest.raises(ValidationError) as exc:
        services.complaint_extend(actor=world.head_c1, complaint=complaint, reason="再延一次", days=30)
    assert "只能延长一次" in exc.value.message_dict["due_on"][0]


def test_extension_beyond_thirty_days_is_refused_and_nothing_changes(world):
    complaint = make(world)
    before = complaint.due_on
    with pytest.raises(ValidationError) as exc:
        services.complaint_extend(actor=world.head_c1, complaint=complaint, reason="案情复杂需核查", days=31)
    assert "不能超过受理之日起 30 个工作日" in exc.value.message_dict["days"][0]
    complaint.refresh_from_db()
    assert complaint.due_on == before and complaint.extended_at is None


def test_extension_without_a_reason_is_refused(world):
    complaint = make(world)
    with pytest.raises(ValidationError) as exc:
        services.complaint_extend(actor=world.head_c1, complaint=complaint, reason="")
    assert "reason" in exc.value.message_dict


def test_lobby_manager_cannot_extend_or_close(world):
    complaint = make(world)
    with pytest.raises(PermissionDenied):
        services.complaint_extend(actor=world.lobby_c1, complaint=complaint, reason="案情复杂需核查")
    with pytest.raises(PermissionDenied):
        services.complaint_close(actor=world.lobby_c1, complaint=complaint, resolution="已解释",
                                 outcome=Outcome.EXPLAINED)


def test_closing_without_a_resolution_is_refused(world):
    complaint = make(world)
    with pytest.raises(ValidationError) as exc:
        services.complaint_close(actor=world.head_c1, complaint=complaint, resolution=" ", outcome=Outcome.RESOLVED)
    assert "必须填写处理结果" in exc.value.message_dict["resolution"][0]
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN


def test_head_closes_with_resolution_and_satisfaction_in_time(world):
    complaint = make(world)
    services.complaint_add_log(actor=world.head_c1, complaint=complaint, note="电话联系客户致歉",
                               kind=LogKind.CONTACT)
    services.complaint_close(actor=world.head_c1, complaint=complaint, resolution="增开窗口并致歉",
                             outcome=Outcome.RESOLVED, satisfaction=Satisfaction.SATISFIED)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.answered_in_time
    assert [e.kind for e in complaint.logs.all()] == [LogKind.ACCEPTED, LogKind.CONTACT, LogKind.CLOSE]
    with pytest.raises(ValidationError):
        services.complaint_add_log(actor=world.head_c1, complaint=complaint, note="再记一笔")


def test_escalation_goes_to_the_branch_quality_manager_who_then_sees_it(world):
    complaint = make(world)
    assert not Complaint.objects.visible_to(world.quality_b1).filter(escalated_to__isnull=False).exists()
    services.complaint_escalate(actor=world.head_c1, complaint=complaint, reason="涉及销售适当性")
    complaint.refresh_from_db()
    assert complaint.escalated_to == world.quality_b1
    assert Complaint.objects.visible_to(world.quality_b1).filter(pk=complaint.pk).exists()
    assert services.can_handle(world.quality_b1, complaint)
    with pytest.raises(ValidationError):
        services.complaint_escalate(actor=world.head_c1, complaint=complaint, reason="再报")


def test_escalation_without_a_quality_manager_above_is_refused(world):
    complaint = make(world, actor="head_c2", center=world.c2)
    with pytest.raises(ValidationError) as exc:
        services.complaint_escalate(actor=world.head_c2, complaint=complaint, reason="复杂")
    assert "escalated_to" in exc.value.message_dict


def test_teller_sees_only_the_complaints_they_created(world):
    mine = make(world, actor="teller_c1")
    make(world, actor="lobby_c1")
    assert list(Complaint.objects.visible_to(world.teller_c1)) == [mine]
    assert Complaint.objects.visible_to(world.head_c1).count() == 2
    assert Complaint.objects.visible_to(world.head_c2).count() == 0
    assert Complaint.objects.visible_to(world.admin).count() == 0


def test_client_manager_sees_complaints_about_own_customers(world):
    about_a = make(world, customer=world.cust_a)
    make(world, customer=world.cust_a2)
    assert list(Complaint.objects.visible_to(world.cm_c1_1)) == [about_a]


def test_overdue_is_a_date_query(world):
    old = make(world, received_on=dt.date(2020, 1, 2))
    make(world)
    assert list(Complaint.objects.overdue()) == [old]
    assert old.is_overdue


def test_head_names_another_owner_of_the_center_but_not_an_outsider(world):
    complaint = make(world)
    services.complaint_assign(actor=world.head_c1, complaint=complaint, owner=world.supervisor_c1)
    complaint.refresh_from_db()
    assert complaint.owner == world.supervisor_c1 and services.can_handle(world.supervisor_c1, complaint)
    with pytest.raises(ValidationError) as exc:
        services.complaint_assign(actor=world.head_c1, complaint=complaint, owner=world.cm_c2_1)
    assert "责任人必须是受理机构或其上级机构的在职员工" in exc.value.message_dict["owner"][0]
    complaint.refresh_from_db()
    assert complaint.owner == world.supervisor_c1
