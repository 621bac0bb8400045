"""Head office changes the figures and the holiday calendar in the system, not in code (SPEC defaults, R2)."""
import datetime as dt
from decimal import Decimal

import pytest

from wealthdesk.core.calendar import add_working_days
from wealthdesk.core.models import AuditAction, AuditLog, CalendarDay
from wealthdesk.core.params import get_param
from wealthdesk.core.testing.permissions import AccessMatrix
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.services import tier_for_aum

pytestmark = pytest.mark.django_db


class TestSettingsPageAccess(AccessMatrix):
    allowed = ("hq_service", "admin")
    forbidden = ("head_c1", "cm_c1_1", "teller_c1", "branch1_service", "auditor")

    def url(self, world):
        return "/core/settings/"


class TestParameterChangeAccess(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("hq_service",)
    forbidden = ("head_c1", "branch1_service", "cm_c1_1")

    def url(self, world):
        return "/core/settings/param/"

    def payload(self, world):
        return {"key": "alert.due_working_days", "value": "3"}


def test_head_office_changes_a_due_period_and_it_is_audited(login_as, world):
    response = login_as("hq_service").post("/core/settings/param/", {"key": "alert.due_working_days", "value": "3"})
    assert response.status_code == 302 and get_param("alert.due_working_days") == 3
    row = AuditLog.objects.get(action=AuditAction.CHANGE, actor_name="hq_service")
    assert row.detail == {"parameter": "alert.due_working_days", "from": 2, "to": 3}


@pytest.mark.parametrize("key, value, reason", [
    ("alert.due_working_days", "两天", "不是有效的数值"),
    ("alert.due_working_days", "-1", "不能为负数"),
    ("alert.due_working_days", "0", "必须大于 0"),
    ("log_review.read_share", "1.5", "比例应在 0 到 1 之间"),
])
def test_a_bad_value_is_refused_naming_the_parameter_and_nothing_changes(login_as, world, key, value, reason):
    client = login_as("hq_service")
    before = get_param(key)
    page = client.post("/core/settings/param/", {"key": key, "value": value}, follow=True).content.decode()
    assert reason in page and get_param(key) == before
    assert not AuditLog.objects.filter(action=AuditAction.CHANGE).exists()


def test_tier_thresholds_are_edited_and_must_rise_with_the_tier(login_as, world):
    client = login_as("hq_service")
    bad = client.post("/core/settings/tiers/", {"private": "5000000", "core": "6000000", "premium": "200000"},
                      follow=True).content.decode()
    assert "逐级提高" in bad and tier_for_aum(Decimal("5500000")) == Tier.CORE
    client.post("/core/settings/tiers/", {"private": "5,000,000", "core": "800000", "premium": "300000"})
    assert tier_for_aum(Decimal("5000000")) == Tier.PRIVATE
    assert tier_for_aum(Decimal("250000")) == Tier.ORDINARY


def test_a_holiday_added_by_head_office_moves_every_deadline(login_as, world):
    client = login_as("hq_service")
    assert add_working_days(dt.date(2026, 12, 3), 1) == dt.date(2026, 12, 4)
    client.post("/core/settings/calendar/", {"date": "2026-12-04", "kind": "off", "name": "临时休假"})
    assert add_working_days(dt.date(2026, 12, 3), 1) == dt.date(2026, 12, 7)
    body = client.get("/core/settings/?year=2026").content.decode()
    assert "临时休假" in body
    day = CalendarDay.objects.get(date=dt.date(2026, 12, 4))
    client.post(f"/core/settings/calendar/{day.pk}/delete/")
    assert add_working_days(dt.date(2026, 12, 3), 1) == dt.date(2026, 12, 4)


def test_a_calendar_entry_without_a_name_or_on_an_ordinary_day_is_refused(login_as, world):
    client = login_as("hq_service")
    before = set(CalendarDay.objects.values_list("date", "is_working_day", "name"))  # the official days
    no_name = client.post("/core/settings/calendar/", {"date": "2026-12-04", "kind": "off", "name": ""}, follow=True)
    assert "请填写名称" in no_name.content.decode()
    pointless = client.post("/core/settings/calendar/", {"date": "2026-12-05", "kind": "off", "name": "周六"},
                            follow=True)
    assert "无需登记" in pointless.content.decode()
    bad_date = client.post("/core/settings/calendar/", {"date": "2026-13-01", "kind": "off", "name": "x"},
                           follow=True)
    assert "YYYY-MM-DD" in bad_date.content.decode()
    assert set(CalendarDay.objects.values_list("date", "is_working_day", "name")) == before


def test_the_settings_page_warns_while_next_years_calendar_is_missing(login_as, world):
    from django.utils import timezone

    next_year = timezone.localdate().year + 1
    CalendarDay.objects.filter(date__year=next_year).delete()
    page = login_as("hq_service").get("/core/settings/").content.decode()
    assert 'data-testid="calendar-missing"' in page and f"load_holidays --year {next_year}" in page
    CalendarDay.objects.create(date=dt.date(next_year, 1, 1), is_working_day=False, name="元旦")
    CalendarDay.objects.get_or_create(date=dt.date(timezone.localdate().year, 1, 1),
                                      defaults={"is_working_day": False, "name": "元旦"})
    assert 'data-testid="calendar-missing"' not in login_as("hq_service").get("/core/settings/").content.decode()
