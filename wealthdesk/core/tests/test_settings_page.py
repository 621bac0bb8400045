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


def test_the_settings_page_shows_labels_not_internal_keys_and_money_with_separators(login_as, world):
    import re

    page = login_as("hq_service").get("/core/settings/").content.decode()
    visible = re.sub(r"<[^>]+>", " ", page)  # the text a person reads, without attributes
    assert "alert.due_working_days" not in visible and "资金异动/降级预警跟进时限（工作日）" in visible
    assert 'value="6,000,000.00"' in page  # the private-banking threshold
    assert 'value="50,000.00"' in page  # referral.conversion_amount


def test_every_parameter_description_has_its_english_translation():
    """The page shows ``gettext(description)``; the English catalogue must carry each one (the lead compiles it)."""
    import re
    from pathlib import Path

    from wealthdesk.core.params import DEFAULTS

    po = (Path(__file__).resolve().parents[3] / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    for key, (_value, description) in DEFAULTS.items():
        found = re.search(r'^msgid "' + re.escape(str(description)) + r'"\nmsgstr "(.+)"$', po, re.M)
        assert found and found.group(1).strip(), key


def test_a_money_parameter_accepts_thousands_separators(login_as, world):
    login_as("hq_service").post("/core/settings/param/", {"key": "referral.conversion_amount", "value": "80,000.00"})
    assert get_param("referral.conversion_amount") == 80000


def test_head_office_sets_the_contact_policy_on_the_settings_page_and_it_is_audited(login_as, world):
    from wealthdesk.contacts.policy import intervals

    response = login_as("hq_service").post("/core/settings/contact-policy/",
                                           {"private": "1", "core": "2", "premium": "3", "ordinary": "0"})
    assert response.status_code == 302
    assert intervals() == {"private": 1, "core": 2, "premium": 3, "ordinary": 0}
    row = AuditLog.objects.get(action=AuditAction.CHANGE, actor_name="hq_service")
    assert row.detail["contact_policy"]["to"]["premium"] == 3


@pytest.mark.parametrize("value", ["13", "-1", "一", ""])
def test_a_bad_contact_frequency_is_refused_naming_the_tier_and_nothing_changes(login_as, world, value):
    from wealthdesk.contacts.policy import intervals

    before = intervals()
    page = login_as("hq_service").post("/core/settings/contact-policy/",
                                       {"private": "1", "core": value, "premium": "2", "ordinary": "0"},
                                       follow=True).content.decode()
    assert "核心优质客户的联系频率应为 0 到 12 之间的整数" in page
    assert intervals() == before
    assert not AuditLog.objects.filter(action=AuditAction.CHANGE).exists()


def test_only_head_office_sets_the_contact_policy(login_as, world):
    response = login_as("branch1_service").post("/core/settings/contact-policy/", {"private": "2"})
    assert response.status_code == 403
