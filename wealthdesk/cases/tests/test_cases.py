"""Cases handed up and back (R5; the branch answers the sub-branches' service requests within a service level, R40):
three levels up and the answer back, one owner per level, the due date, the trail, overdue shown above, bad input."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wealthdesk.cases import selectors, services
from wealthdesk.cases.choices import CaseStatus, ServiceLevel, SubjectKind
from wealthdesk.cases.models import Case
from wealthdesk.core import escalation
from wealthdesk.core.deadlines import due_date
from wealthdesk.core.models import AuditLog

from .factories import complaint, open_case

pytestmark = pytest.mark.django_db


def test_three_levels_up_and_the_answer_back_to_the_center_with_an_owner_at_each_level(world):
    case = open_case(world, to_unit=world.sub1)
    assert case.status == CaseStatus.REFERRED and case.holder_unit == world.sub1 and case.owner is None
    assert case.due_on == due_date("case.answer", timezone.localdate())
    services.case_take(actor=world.subbranch1_service, case=case)
    case = services.case_hand_up(actor=world.subbranch1_service, case=case, to_unit=world.branch1, note="转分行")
    assert case.holder_unit == world.branch1 and case.owner is None
    services.case_take(actor=world.branch1_service, case=case)
    case = services.case_hand_up(actor=world.branch1_service, case=case, to_unit=world.hq)
    services.case_take(actor=world.hq_service, case=case)
    case = services.case_answer(actor=world.hq_service, case=case, answer="已协调，按优惠利率执行")
    assert case.status == CaseStatus.ANSWERED and case.holder_unit == world.c1 and case.owner == world.head_c1
    assert case.answered_unit == world.hq
    case = services.case_close(actor=world.head_c1, case=case, note="已告知客户")
    assert case.status == CaseStatus.CLOSED
    kinds = [s.kind for s in escalation.trail(case)]
    assert kinds == ["raise", "hand_up", "note", "forward", "note", "forward", "note", "answer", "feedback"]
    owners = [s.actor.username for s in escalation.trail(case) if s.kind == "note"]
    assert owners == ["subbranch1_service", "branch1_service", "hq_service"]


def test_a_complaint_is_handed_straight_to_the_branch_and_urgent_cases_are_due_sooner(world):
    case = services.case_open(actor=world.head_c1, subject_kind=SubjectKind.COMPLAINT,
                              subject_id=complaint(world).pk, title="跨行转账投诉", question="需分行协调清算",
                              service_level=ServiceLevel.URGENT, to_unit=world.branch1)
    assert case.holder_unit == world.branch1
    assert case.due_on == due_date("case.answer_urgent", timezone.localdate())
    assert case.subject_type.model == "complaint"


def test_handing_up_without_a_question_is_refused_and_nothing_is_saved(world):
    with pytest.raises(ValidationError) as exc:
        open_case(world, question="  ", to_unit=world.branch1)
    assert "请填写请求上级解决的问题。" in exc.value.message_dict["question"]
    assert not Case.objects.exists()


def test_the_subject_must_be_visible_to_the_opener_through_its_own_scoping(world):
    with pytest.raises(ValidationError) as exc:  # cust_a2 belongs to cm_c1_2
        open_case(world, actor="cm_c1_1", subject_id=world.cust_a2.pk)
    assert "subject_id" in exc.value.message_dict
    with pytest.raises(ValidationError):  # another center's customer
        open_case(world, actor="head_c2", subject_id=world.cust_a.pk)
    with pytest.raises(ValidationError):  # no such complaint
        open_case(world, subject_kind=SubjectKind.COMPLAINT, subject_id=999999)
    with pytest.raises(ValidationError) as exc:
        open_case(world, subject_kind="account")
    assert "subject_kind" in exc.value.message_dict
    assert not Case.objects.exists()


def test_only_a_unit_above_may_receive_and_nobody_hands_up_twice(world):
    with pytest.raises(ValidationError) as exc:
        open_case(world, to_unit=world.branch2)  # not above C1
    assert "to_unit" in exc.value.message_dict
    case = open_case(world, to_unit=world.sub1)
    with pytest.raises(ValidationError) as exc:
        services.case_hand_up(actor=world.head_c1, case=case, to_unit=world.branch1)
    assert "正在等待答复" in exc.value.message_dict["to_unit"][0]


def test_roles_that_may_not_act(world):
    with pytest.raises(PermissionDenied):
        open_case(world, actor="teller_c1")
    case = open_case(world, to_unit=world.branch1)
    with pytest.raises(ValidationError):  # the sub-branch does not hold it
        services.case_take(actor=world.subbranch1_service, case=case)
    with pytest.raises(PermissionDenied):
        services.case_answer(actor=world.head_c1, case=case, answer="x")
    with pytest.raises(ValidationError) as exc:
        services.case_answer(actor=world.branch1_service, case=case, answer="")
    assert "answer" in exc.value.message_dict


def test_once_taken_only_the_owner_answers(world):
    other = world.quality_b1
    case = open_case(world, to_unit=world.branch1)
    services.case_take(actor=world.branch1_service, case=case)
    with pytest.raises(ValidationError):
        services.case_take(actor=world.branch1_service, case=case)
    with pytest.raises(PermissionDenied):
        services.case_answer(actor=other, case=case, answer="答复")
    assert AuditLog.objects.filter(object_type="cases.case", object_id=str(case.pk)).exists()


def test_overdue_cases_show_to_the_level_above_the_holder(world):
    case = open_case(world, to_unit=world.sub1)
    Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    assert list(selectors.overdue_below(world.branch1_service)) == [case]
    assert list(selectors.overdue_below(world.hq_service)) == [case]
    assert list(selectors.overdue_below(world.subbranch1_service)) == []  # it holds it: its inbox shows it
    assert list(selectors.case_inbox(world.subbranch1_service)) == [case]
    assert list(selectors.overdue_below(world.branch1_service.__class__.objects.get(username="head_c2"))) == []


def test_scoping_of_cases(world):
    case = open_case(world, actor="cm_c1_1", to_unit=world.branch1)
    for name in ("cm_c1_1", "head_c1", "subbranch1_service", "branch1_service", "hq_service"):
        assert Case.objects.visible_to(world.users[name]).filter(pk=case.pk).exists(), name
    for name in ("cm_c1_2", "head_c2", "cm_c2_1", "teller_c1", "advisor_1", "expert_1"):
        assert not Case.objects.visible_to(world.users[name]).filter(pk=case.pk).exists(), name
