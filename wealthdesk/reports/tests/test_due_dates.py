"""Due dates come from the report's period and the working-day calendar (deadlines are data); the 下级报送 board
shows per unit and kind what is due, what arrived and what is late."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.core.calendar import seed_calendar
from wealthdesk.core.params import set_param
from wealthdesk.core.submission import (
    due_board,
    get_kind,
    parse_period,
    period_end_of,
    period_label,
    previous_period_start,
    submission_submit,
)
from wealthdesk.reports.choices import ReportKindChoice as K

from .helpers import center_report, monthly

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def holidays():
    seed_calendar()


def test_periods():
    assert previous_period_start("month", dt.date(2026, 12, 1)) == dt.date(2026, 11, 1)
    assert previous_period_start("quarter", dt.date(2026, 12, 1)) == dt.date(2026, 7, 1)
    assert previous_period_start("half", dt.date(2026, 12, 1)) == dt.date(2026, 1, 1)
    assert period_end_of("quarter", dt.date(2026, 7, 1)) == dt.date(2026, 9, 30)
    assert period_label("half", dt.date(2026, 7, 1)) == "2026H2"
    assert parse_period("quarter", "2026Q3") == dt.date(2026, 7, 1)
    with pytest.raises(ValueError):
        parse_period("month", "2026Q3")


def test_the_due_date_skips_the_national_day_holiday_and_counts_the_adjusted_saturday(world):
    # September's monthly report: 3 working days after 2026-09-30 → Oct 8, Oct 9, Sat Oct 10 (调休) → 2026-10-10
    assert get_kind(K.MONTHLY).due_on(dt.date(2026, 9, 1)) == dt.date(2026, 10, 10)
    # the third quarter's needs analysis: 10 working days after 2026-09-30 (Oct 8, 9, 10, 12–16, 19, 20)
    assert get_kind(K.NEEDS_QUARTERLY).due_on(dt.date(2026, 7, 1)) == dt.date(2026, 10, 20)


def test_the_due_days_are_a_parameter_head_office_changes(world):
    set_param("report.cm_monthly.due_working_days", 1)
    assert get_kind(K.MONTHLY).due_on(dt.date(2026, 11, 1)) == dt.date(2026, 12, 1)


def test_the_due_date_is_stored_on_the_report(world):
    report = monthly(world)
    assert report.due_on == get_kind(K.MONTHLY).due_on(report.period_start)


def _row(rows, kind, unit):
    return next(r for r in rows if r.kind.key == kind and r.unit == unit)


def test_the_head_sees_which_client_managers_have_reported(world):
    today = timezone.localdate()
    monthly(world, "cm_c1_1")
    rows = due_board(world.head_c1, on=today)
    row = _row(rows, K.MONTHLY, world.c1)
    assert (row.expected, row.arrived) == (2, 0)
    r = monthly(world, "cm_c1_2")
    submission_submit(actor=world.cm_c1_2, report=r)
    row = _row(due_board(world.head_c1, on=today), K.MONTHLY, world.c1)
    assert (row.expected, row.arrived) == (2, 1)
    assert [name for name, _overdue in row.missing] == ["cm_c1_1"]


def test_the_sub_branch_sees_its_centers_and_not_the_other_branchs(world):
    report = center_report(world)
    submission_submit(actor=world.head_c1, report=report)
    rows = due_board(world.subbranch1_service)
    assert {r.unit for r in rows} == {world.c1}
    row = _row(rows, K.OPERATING, world.c1)
    assert row.arrived == 1 and row.late == 0
    assert _row(rows, K.COMPLAINTS_MONTHLY, world.c1).arrived == 0
    assert not any(r.kind.key == K.MONTHLY for r in rows), "client managers report to their own head"
    branch_rows = due_board(world.branch1_service)
    assert _row(branch_rows, K.OPERATING, world.c1).arrived == 1, "levels above see which centers have reported"
    assert world.c2 not in {r.unit for r in branch_rows}


def test_missing_after_the_due_date_is_late(world):
    rows = due_board(world.subbranch1_service, on=dt.date(2026, 3, 15), kind_key=K.OPERATING)
    row = _row(rows, K.OPERATING, world.c1)
    assert row.period_label == "2026-02" and row.due_on == get_kind(K.OPERATING).due_on(dt.date(2026, 2, 1))
    assert (row.expected, row.arrived, row.late) == (1, 0, 1)
    assert row.missing == [(world.c1.name, True)]


def test_a_report_submitted_after_its_due_date_is_late(world):
    report = monthly(world)
    from wealthdesk.reports.models import Report

    Report.objects.filter(pk=report.pk).update(due_on=dt.date(2020, 1, 1))
    report.refresh_from_db()
    submission_submit(actor=world.cm_c1_1, report=report)
    report.refresh_from_db()
    assert report.is_late
    assert Report.objects.late(timezone.localdate()).filter(pk=report.pk).exists()


def test_the_board_page(login_as, world):
    monthly(world)
    html = login_as("head_c1").get("/core/submissions/").content.decode()
    assert "下级报送" in html and "客户与市场月度报告" in html
    assert login_as("head_c1").get("/core/submissions/?on=2026-13-01").status_code == 400
    assert login_as("teller_c1").get("/core/submissions/").status_code == 403
