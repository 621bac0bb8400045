"""Half-years of R36: a malformed value, a half-year not yet begun and one before the data each get a message."""
import datetime as dt

import pytest

from wealthdesk.analyses.periods import PeriodError, half_of, parse_half, recent_halves

TODAY = dt.date(2026, 12, 2)


def test_half_years_parse_and_default_to_the_current_one():
    assert parse_half("2026h1", today=TODAY).start == dt.date(2026, 1, 1)
    assert parse_half(" 2026H2 ", today=TODAY).end == dt.date(2026, 12, 31)
    assert parse_half("", today=TODAY).label == "2026H2"
    assert half_of(dt.date(2026, 6, 30)).label == "2026H1" and half_of(dt.date(2026, 7, 1)).label == "2026H2"
    assert parse_half("2026H2", today=TODAY).as_of(TODAY) == TODAY
    assert parse_half("2026H1", today=TODAY).previous().label == "2025H2"


@pytest.mark.parametrize("value", ["2026", "2026H3", "26H1", "2026-H1", "H1", "abcd", "2026H1;", "9999H1"])
def test_a_malformed_half_year_names_the_expected_form(value):
    with pytest.raises(PeriodError, match="2026H2"):
        parse_half(value, today=TODAY)


def test_a_future_half_year_is_refused():
    with pytest.raises(PeriodError, match="尚未开始"):
        parse_half("2027H1", today=TODAY)


def test_a_half_year_before_the_data_is_refused():
    with pytest.raises(PeriodError, match="早于系统数据的起始日期 2025-12-02"):
        parse_half("2025H1", today=TODAY, first_day=dt.date(2025, 12, 2))
    assert parse_half("2025H2", today=TODAY, first_day=dt.date(2025, 12, 2)).label == "2025H2"


def test_the_selector_offers_the_half_years_since_the_data():
    assert [h.label for h in recent_halves(TODAY, dt.date(2025, 12, 2))] == ["2026H2", "2026H1", "2025H2"]
    assert len(recent_halves(TODAY, None)) == 6
