"""The submission chain's state machine (core.submission) as the reports travel it: draft → submitted →
received (with comments) or returned for rework (back to draft, with the comments) → shared."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wealthdesk.core.submission import (
    StaleVersion,
    SubmissionEvent,
    SubmissionStatus,
    receiver_for,
    submission_receive,
    submission_return,
    submission_share,
    submission_submit,
)
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.reports import services
from wealthdesk.reports.choices import ReportKindChoice as K
from wealthdesk.reports.models import Report

from .helpers import center_report, monthly, semiannual

pytestmark = pytest.mark.django_db


def test_a_client_managers_monthly_report_goes_to_the_head_of_the_center(world):
    report = monthly(world)
    assert report.status == SubmissionStatus.DRAFT and report.receiver_unit == world.c1
    assert report.author == world.cm_c1_1 and report.figures["groups"], "pre-filled with the month's figures"
    keys = {i["key"] for i in report.figures["groups"][0]["items"]}
    assert {"contacts", "referrals_made"} <= keys


def test_the_center_reports_go_to_the_unit_above(world):
    report = center_report(world)
    assert report.receiver_unit == world.sub1


def test_a_tier_two_branch_is_passed_over(world):
    b2 = OrgUnit.objects.create(code="B1X", name="二级分行", kind=UnitKind.BRANCH2, parent=world.branch1)
    center = OrgUnit.objects.create(code="C9", name="直属中心", kind=UnitKind.CENTER,
                                    parent=OrgUnit.objects.create(code="S9", name="支行九", kind=UnitKind.SUBBRANCH,
                                                                  parent=b2, is_active=False))
    from wealthdesk.core.submission import get_kind

    assert receiver_for(get_kind(K.OPERATING), center) == world.branch1  # inactive sub-branch and tier-2 skipped


def test_submitting_freezes_a_version_and_writes_the_trail(world):
    report = monthly(world)
    v = report.version
    submission_submit(actor=world.cm_c1_1, report=report)
    report.refresh_from_db()
    assert report.status == SubmissionStatus.SUBMITTED and report.version == v + 1
    assert report.snapshot["body"]["customers"] == "本月客户资产稳定增长。"
    assert report.snapshot["figures"] == report.figures
    events = list(SubmissionEvent.objects.filter(object_id=report.pk, object_type="reports.report"))
    assert [e.action for e in events] == ["submit"] and events[0].snapshot == report.snapshot


def test_a_report_submitted_twice_is_refused_and_nothing_changes(world):
    report = monthly(world)
    submission_submit(actor=world.cm_c1_1, report=report)
    report.refresh_from_db()
    before = (report.version, report.submitted_at, report.submission_count)
    with pytest.raises(ValidationError) as exc:
        submission_submit(actor=world.cm_c1_1, report=report)
    assert exc.value.message_dict == {"status": ["该报告已报送，不能重复报送。"]}
    report.refresh_from_db()
    assert (report.version, report.submitted_at, report.submission_count) == before
    assert SubmissionEvent.objects.filter(object_id=report.pk, action="submit").count() == 1


def test_a_submitted_report_cannot_be_edited(world):
    report = monthly(world)
    submission_submit(actor=world.cm_c1_1, report=report)
    with pytest.raises(ValidationError) as exc:
        services.report_update(actor=world.cm_c1_1, report=report, version=report.version,
                               body={"customers": "改过了"})
    assert "不能再修改" in exc.value.message_dict["status"][0]
    report.refresh_from_db()
    assert report.body["customers"] == "本月客户资产稳定增长。"


def test_a_stale_edit_is_refused(world):
    report = monthly(world)
    old = report.version
    services.report_update(actor=world.cm_c1_1, report=report, version=old, body={"market": "第二次"})
    with pytest.raises(StaleVersion):
        services.report_update(actor=world.cm_c1_1, report=report, version=old, body={"market": "过期的编辑"})
    report.refresh_from_db()
    assert report.body["market"] == "第二次"


def test_the_first_section_is_required_to_submit(world):
    report = monthly(world, text="")
    with pytest.raises(ValidationError) as exc:
        submission_submit(actor=world.cm_c1_1, report=report)
    assert exc.value.message_dict == {"customers": ["请先填写“客户情况”再报送。"]}
    report.refresh_from_db()
    assert report.status == SubmissionStatus.DRAFT


def test_only_the_receiver_receives(world):
    report = monthly(world)
    submission_submit(actor=world.cm_c1_1, report=report)
    for outsider in ("head_c2", "subbranch1_service", "cm_c1_2", "lead_c1"):
        with pytest.raises(PermissionDenied):
            submission_receive(actor=world.users[outsider], report=report)
    report.refresh_from_db()
    assert report.status == SubmissionStatus.SUBMITTED and report.received_by is None


def test_return_without_a_comment_is_refused_and_nothing_changes(world):
    report = monthly(world)
    submission_submit(actor=world.cm_c1_1, report=report)
    report.refresh_from_db()
    version = report.version
    with pytest.raises(ValidationError) as exc:
        submission_return(actor=world.head_c1, report=report, comment="  ")
    assert exc.value.message_dict == {"comment": ["退回修改必须填写意见，说明需要修改什么。"]}
    report.refresh_from_db()
    assert report.status == SubmissionStatus.SUBMITTED and report.version == version


def test_returned_for_rework_goes_back_to_draft_with_the_comments_then_is_resubmitted(world):
    report = monthly(world)
    submission_submit(actor=world.cm_c1_1, report=report)
    submission_return(actor=world.head_c1, report=report, comment="请补充市场分析")
    report.refresh_from_db()
    assert report.status == SubmissionStatus.DRAFT and report.is_returned
    assert report.return_comment == "请补充市场分析" and report.chain_status_label == "退回修改"
    report = services.report_update(actor=world.cm_c1_1, report=report, version=report.version,
                                    body={"market": "补充：利率下行，客户偏好稳健。"})
    submission_submit(actor=world.cm_c1_1, report=report)
    submission_receive(actor=world.head_c1, report=report, comment="很好")
    report.refresh_from_db()
    assert report.status == SubmissionStatus.RECEIVED and report.receiver_comment == "很好"
    assert report.submission_count == 2
    assert [e.action for e in SubmissionEvent.objects.filter(object_id=report.pk, object_type="reports.report")] \
        == ["submit", "return", "submit", "receive"]


def test_only_shareable_reports_are_shared_and_only_after_receipt(world):
    report = monthly(world)
    submission_submit(actor=world.cm_c1_1, report=report)
    submission_receive(actor=world.head_c1, report=report)
    with pytest.raises(ValidationError):
        submission_share(actor=world.head_c1, report=report)
    r19 = semiannual(world)
    submission_submit(actor=world.head_c1, report=r19)
    with pytest.raises(ValidationError):
        submission_share(actor=world.subbranch1_service, report=r19)  # not yet received
    submission_receive(actor=world.subbranch1_service, report=r19)
    submission_share(actor=world.subbranch1_service, report=r19)
    r19.refresh_from_db()
    assert r19.status == SubmissionStatus.SHARED and r19.shared_at


def test_the_semiannual_topic_must_be_approved_by_the_head_before_it_goes_up(world):
    r19 = semiannual(world, approve=False)
    with pytest.raises(PermissionDenied):
        submission_submit(actor=world.cm_c1_1, report=r19)  # the head submits R19 upward
    with pytest.raises(ValidationError) as exc:
        submission_submit(actor=world.head_c1, report=r19)
    assert "选题尚未经负责人批准" in exc.value.message_dict["title"][0]
    with pytest.raises(ValidationError):
        services.topic_decide(actor=world.head_c1, report=r19, approve=False, note="")  # a refusal needs a reason
    with pytest.raises(PermissionDenied):
        services.topic_decide(actor=world.head_c2, report=r19, approve=True)


def test_the_lobby_manager_prepares_the_complaint_statistics_and_the_head_submits_them(world):
    report = services.report_create(actor=world.lobby_c1, kind=K.COMPLAINTS_MONTHLY,
                                    period=dt.date.today().replace(day=1) - dt.timedelta(days=1))
    report = services.report_update(actor=world.lobby_c1, report=report, version=report.version,
                                    body={"lobby_note": "本月投诉集中在排队时间。"})
    assert Report.objects.visible_to(world.lobby_c1).filter(pk=report.pk).exists()
    with pytest.raises(PermissionDenied):
        submission_submit(actor=world.lobby_c1, report=report)
    report = services.report_update(actor=world.head_c1, report=report, version=report.version,
                                    body={"causes": "高峰期窗口不足", "measures": "增开弹性窗口"})
    submission_submit(actor=world.head_c1, report=report)
    report.refresh_from_db()
    assert report.receiver_unit == world.sub1 and report.snapshot["body"]["lobby_note"]
    assert report.figures["groups"][0]["items"][0]["key"] == "received"


def test_one_report_per_period(world):
    monthly(world)
    with pytest.raises(ValidationError) as exc:
        monthly(world)
    assert "已经存在" in exc.value.message_dict["period"][0]


def test_a_teller_cannot_write_reports(world):
    with pytest.raises(PermissionDenied):
        services.report_create(actor=world.teller_c1, kind=K.MONTHLY, period=dt.date(2026, 1, 1))
