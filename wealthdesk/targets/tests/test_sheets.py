"""R34: the month's sheet computed live, the drill-down returning exactly the records counted, the head's
adjustments with reasons, the month close freezing a version (editing a frozen month refused), the export in the
handbook's layout, the submission up the chain and the compliance measure."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wealthdesk.contacts.tests.factories import make_contact
from wealthdesk.core.audit import AuditLog
from wealthdesk.core.registry import compliance_measures
from wealthdesk.core.submission import SubmissionStatus, submission_submit
from wealthdesk.core.testing.exports import sheet
from wealthdesk.targets import scoring, selectors, services
from wealthdesk.targets.models import PerformanceSheet

from .helpers import last_month, plan_c1

pytestmark = pytest.mark.django_db


@pytest.fixture
def month_sheet(world):
    month = last_month()
    plan_c1(world, month)
    for day in (3, 5, 9):
        make_contact(world.cust_a, world.cm_c1_1, month.replace(day=day))
    make_contact(world.cust_a2, world.cm_c1_2, month.replace(day=4))
    return services.sheet_open(actor=world.head_c1, unit=world.c1, month=month)


def _line(lines, user):
    return next(line for line in lines if line["user_id"] == user.pk)


def test_the_drill_down_returns_exactly_the_records_counted(world, month_sheet):
    line = _line(selectors.sheet_scores(world.head_c1, month_sheet), world.cm_c1_1)
    contacts = next(item for item in line["lines"] if item["code"] == "contacts")
    assert contacts["actual"] == 3
    records = selectors.drill_down(month_sheet, world.cm_c1_1.pk, "contacts")
    assert len(records) == 3 and sum(r.value for r in records) == 3
    assert all(r.url.startswith("/contacts/") for r in records)
    assert all("*" in r.label for r in records)  # names masked


def test_a_missed_vip_contact_is_deducted_and_listed(world, month_sheet):
    # cust_b is cm_c2_1's; c1's VIP (core) customer cust_a was contacted; cust_a2 is premium (not VIP by default)
    line = _line(selectors.sheet_scores(world.head_c1, month_sheet), world.cm_c1_1)
    assert not [d for d in line["deductions"] if d["key"] == "vip_contacts_missed"]
    world.cust_a2.tier = "private"
    world.cust_a2.save(update_fields=["tier"])
    world.cust_a2.contact_records.all().delete()
    line = _line(selectors.sheet_scores(world.head_c1, month_sheet), world.cm_c1_2)
    [missed] = [d for d in line["deductions"] if d["key"] == "vip_contacts_missed"]
    assert missed["count"] == 1 and missed["points"] == 1.0
    [record] = selectors.drill_down(month_sheet, world.cm_c1_2.pk, "vip_contacts_missed")
    assert record.url == f"/customers/{world.cust_a2.pk}/"


def test_a_client_manager_sees_only_their_own_line(world, month_sheet):
    lines = selectors.sheet_scores(world.cm_c1_1, month_sheet)
    assert [line["user_id"] for line in lines] == [world.cm_c1_1.pk]
    assert len(selectors.sheet_scores(world.head_c1, month_sheet)) >= 5
    assert PerformanceSheet.objects.visible_to(world.cm_c2_1).filter(pk=month_sheet.pk).count() == 0
    assert PerformanceSheet.objects.visible_to(world.head_c2).filter(pk=month_sheet.pk).count() == 0
    assert PerformanceSheet.objects.visible_to(world.branch1_service).filter(pk=month_sheet.pk).count() == 1
    assert PerformanceSheet.objects.visible_to(world.advisor_1).count() == 0


def test_closing_the_month_freezes_it_and_editing_a_frozen_month_is_refused(world, month_sheet):
    services.sheet_adjust(actor=world.head_c1, sheet=month_sheet, staff_id=world.cm_c1_1.pk, points="2.5",
                          reason="协助支行组织客户沙龙")
    services.sheet_comment(actor=world.head_c1, sheet=month_sheet, comment="整体良好")
    closed = services.sheet_close(actor=world.head_c1, sheet=month_sheet)
    frozen = _line(closed.frozen["staff"], world.cm_c1_1)
    assert frozen["adjustment_points"] == 2.5
    make_contact(world.cust_a, world.cm_c1_1, last_month().replace(day=20))  # a late entry changes nothing frozen
    assert _line(selectors.sheet_scores(world.head_c1, closed), world.cm_c1_1) == frozen
    live = _line([s.as_dict() for s in scoring.sheet_scores(closed)], world.cm_c1_1)
    assert live != frozen
    version = closed.version
    for attempt in (
        lambda: services.sheet_adjust(actor=world.head_c1, sheet=closed, staff_id=world.cm_c1_1.pk, points=1,
                                      reason="x"),
        lambda: services.sheet_comment(actor=world.head_c1, sheet=closed, comment="改"),
        lambda: services.sheet_close(actor=world.head_c1, sheet=closed),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert "已月结" in str(exc.value)
    closed.refresh_from_db()
    assert closed.version == version and closed.adjustments.count() == 1 and closed.comment == "整体良好"


def test_the_current_month_cannot_be_closed_before_it_ends(world):
    sheet = services.sheet_open(actor=world.head_c1, unit=world.c1, month=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        services.sheet_close(actor=world.head_c1, sheet=sheet)
    assert "尚未结束" in str(exc.value)


def test_bad_adjustments_are_refused_and_change_nothing(world, month_sheet):
    for points, reason, staff, word in (("0", "x", world.cm_c1_1.pk, "调整分数"), ("11", "x", world.cm_c1_1.pk, "-10"),
                                        ("abc", "x", world.cm_c1_1.pk, "数字"), ("1", "", world.cm_c1_1.pk, "原因"),
                                        ("1", "x", world.cm_c2_1.pk, "本中心")):
        with pytest.raises(ValidationError) as exc:
            services.sheet_adjust(actor=world.head_c1, sheet=month_sheet, staff_id=staff, points=points,
                                  reason=reason)
        assert word in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.sheet_adjust(actor=world.cm_c1_1, sheet=month_sheet, staff_id=world.cm_c1_1.pk, points=5,
                              reason="自己加分")
    assert month_sheet.adjustments.count() == 0


def test_the_sheet_goes_up_the_chain_only_once_closed(world, month_sheet):
    with pytest.raises(ValidationError):
        submission_submit(actor=world.head_c1, report=month_sheet)
    services.sheet_close(actor=world.head_c1, sheet=month_sheet)
    month_sheet.refresh_from_db()
    submitted = submission_submit(actor=world.head_c1, report=month_sheet)
    assert submitted.status == SubmissionStatus.SUBMITTED and submitted.receiver_unit == world.sub1
    assert submitted.snapshot["staff"]


def test_the_export_is_the_handbook_sheet_with_one_row_per_staff_member(world, month_sheet, login_as):
    client = login_as("head_c1")
    response = client.get(f"/targets/sheets/{month_sheet.pk}/export/")
    assert response.status_code == 200
    ws = sheet(response)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "《理财中心绩效汇总表》"
    assert rows[3][:3] == ("排名", "员工", "岗位") and "总分" in rows[3]
    names = {r[1] for r in rows[4:] if r and isinstance(r[0], int)}
    assert str(world.cm_c1_1) in names and str(world.teller_c1) in names
    own = login_as("cm_c1_1").get(f"/targets/sheets/{month_sheet.pk}/export/")
    own_rows = [r for r in sheet(own).iter_rows(values_only=True)][4:]
    assert {r[1] for r in own_rows if r and isinstance(r[0], int)} == {str(world.cm_c1_1)}
    assert AuditLog.objects.filter(action="export", object_type="targets.performancesheet").count() == 2


def test_the_compliance_measure_counts_last_months_closed_sheets(world, month_sheet):
    measure = next(m for m in compliance_measures() if m.key == "performance_sheet.closed")
    today = timezone.localdate()
    late = today + dt.timedelta(days=30)
    assert measure.compute([world.c1.pk, world.c2.pk], today)[world.c1.pk]["done"] == 0
    services.sheet_close(actor=world.head_c1, sheet=month_sheet)
    figures = measure.compute([world.c1.pk, world.c2.pk], today)
    assert figures[world.c1.pk] == {"due": 1, "done": 1, "overdue": 0}
    assert figures[world.c2.pk]["done"] == 0
    month_end = today.replace(day=1) - dt.timedelta(days=1)
    assert measure.compute([world.c2.pk], month_end + dt.timedelta(days=25))[world.c2.pk]["overdue"] in (0, 1)
    assert late > today
