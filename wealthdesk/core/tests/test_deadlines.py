"""Every deadline against the working-day calendar (fresh migrate: the official 2025–2026 holidays are there)."""
import datetime as dt
from pathlib import Path

import pytest

from wealthdesk.core.deadlines import DEADLINES, Counting, due_date
from wealthdesk.core.params import DEFAULTS, set_param

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize("key, start, due", [
    ("alert.follow_up", D(2026, 9, 30), D(2026, 10, 9)),  # over National Day
    ("referral.follow_up", D(2026, 2, 13), D(2026, 2, 24)),  # Fri → 调休 Sat 02-14 → after the Spring Festival
    ("debrief.daily", D(2026, 11, 25), D(2026, 11, 25)),
    ("problem.feedback", D(2026, 4, 30), D(2026, 5, 8)),  # 劳动节 05-01..05-05
    ("question.answer", D(2026, 9, 24), D(2026, 10, 15)),  # 2 weeks = 10 working days, 中秋+国庆 skipped
    ("question.answer", D(2026, 11, 2), D(2026, 11, 16)),  # an ordinary fortnight
    ("complaint.decision", D(2026, 11, 2), D(2026, 11, 23)),  # 15 working days
    ("complaint.decision", D(2026, 1, 30), D(2026, 2, 27)),  # across the Spring Festival (two 调休 Saturdays count)
    ("complaint.extended", D(2026, 11, 2), D(2026, 12, 14)),
])
def test_each_deadline_counts_working_days_on_the_official_calendar(key, start, due):
    assert due_date(key, start) == due


def test_every_deadline_in_days_has_its_parameter_and_default():
    for deadline in DEADLINES.values():
        assert deadline.counts in Counting.values
        if deadline.param:
            assert DEFAULTS[deadline.param][0] == deadline.default


def test_the_length_comes_from_the_head_office_parameter():
    set_param("complaint.due_days", 5)
    assert due_date("complaint.decision", D(2026, 11, 2)) == D(2026, 11, 9)


def test_the_docs_table_lists_every_deadline():
    text = (Path(__file__).resolve().parents[3] / "docs" / "deadlines.md").read_text(encoding="utf-8")
    for deadline in DEADLINES.values():
        assert f"`{deadline.key}`" in text, deadline.key
        if deadline.param:
            assert f"`{deadline.param}`" in text, deadline.param
