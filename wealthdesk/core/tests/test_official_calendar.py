"""The official working-day calendar ships with the system: loaded by a migration, refreshed by a command."""
import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from wealthdesk.core.calendar import add_working_days, is_working_day, official_years
from wealthdesk.core.models import AuditLog, CalendarDay

pytestmark = pytest.mark.django_db


def test_a_fresh_migrate_has_the_spring_festival_2026_and_the_2025_holidays():
    # The test database is built by the migrations alone: no seed, no fixture.
    assert not is_working_day(dt.date(2026, 2, 16))  # 春节, a Monday
    assert CalendarDay.objects.get(date=dt.date(2026, 2, 17)).name == "春节"
    assert is_working_day(dt.date(2026, 2, 14))  # Saturday, 春节调休上班
    assert not is_working_day(dt.date(2025, 1, 29))  # 春节 2025
    assert not is_working_day(dt.date(2025, 10, 8))  # 国庆节 2025 (eight days with 中秋)
    assert is_working_day(dt.date(2025, 9, 28))  # Sunday, 调休上班
    assert CalendarDay.objects.filter(date__year=2025, is_working_day=False).count() >= 27


def test_the_working_days_after_the_eve_of_the_spring_festival_skip_the_holiday():
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 14)  # 调休 Saturday
    assert add_working_days(dt.date(2026, 2, 14), 1) == dt.date(2026, 2, 24)


def test_load_holidays_refreshes_a_year_and_keeps_head_office_edits(capsys):
    CalendarDay.objects.filter(date__year=2026).exclude(date=dt.date(2026, 10, 1)).delete()
    CalendarDay.objects.filter(date=dt.date(2026, 10, 1)).update(name="总行改名")
    call_command("load_holidays", "--year", "2026")
    assert not is_working_day(dt.date(2026, 2, 16))
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 1)).name == "总行改名"
    assert AuditLog.objects.filter(source="command:load_holidays", detail__calendar_year=2026).exists()
    call_command("load_holidays", "--year", "2026", "--replace")
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 1)).name == "国庆节"


def test_load_holidays_for_a_year_the_package_does_not_know_says_so():
    year = max(official_years()) + 1
    with pytest.raises(CommandError, match=str(year)):
        call_command("load_holidays", "--year", str(year))
    assert not CalendarDay.objects.filter(date__year=year).exists()
