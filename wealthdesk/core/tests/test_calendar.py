"""Working days count Chinese public holidays and adjusted working days (调休)."""
import datetime as dt

import pytest

from wealthdesk.core.calendar import add_working_days, is_working_day, seed_calendar, working_days_between
from wealthdesk.core.models import CalendarDay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def holidays():
    seed_calendar()


def test_national_day_week_is_not_working_but_the_adjusted_saturday_is():
    assert not is_working_day(dt.date(2026, 10, 1))
    assert not is_working_day(dt.date(2026, 10, 7))
    assert is_working_day(dt.date(2026, 10, 10))  # Saturday 调休
    assert is_working_day(dt.date(2026, 9, 20))   # Sunday 调休


def test_two_working_days_after_the_eve_of_national_day_skip_the_holiday():
    assert add_working_days(dt.date(2026, 9, 30), 2) == dt.date(2026, 10, 9)


def test_two_working_days_over_an_ordinary_weekend():
    assert add_working_days(dt.date(2026, 11, 27), 2) == dt.date(2026, 12, 1)  # Friday → Tuesday


def test_spring_festival_and_its_adjusted_saturdays():
    days = working_days_between(dt.date(2026, 2, 14), dt.date(2026, 2, 28))
    assert dt.date(2026, 2, 14) in days and dt.date(2026, 2, 28) in days
    assert not any(dt.date(2026, 2, 15) <= d <= dt.date(2026, 2, 23) for d in days)


def test_head_office_edits_take_effect_at_once():
    CalendarDay.objects.create(date=dt.date(2026, 12, 1), is_working_day=False, name="临时停业")
    assert add_working_days(dt.date(2026, 11, 27), 2) == dt.date(2026, 12, 2)


def test_seeding_twice_keeps_one_row_per_day():
    before = CalendarDay.objects.count()
    seed_calendar()
    assert CalendarDay.objects.count() == before
