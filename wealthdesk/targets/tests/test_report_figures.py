"""The center's operating report (R35) shows its targets vs actual (R33) for the report's month."""
import calendar
import datetime as dt

import pytest

from wealthdesk.core.registry import report_figure_groups

from .helpers import last_month, plan_c1

pytestmark = pytest.mark.django_db


def test_the_operating_report_lists_the_month_s_targets_with_their_progress(world):
    plan_c1(world, split=False)
    start = last_month()
    end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    groups = {g["title"]: g["items"] for g in report_figure_groups(world.c1, start, end)}
    items = {i["key"]: i for i in groups["目标完成情况"]}
    assert len(items) == 8 and "target.contacts" in items
    assert "目标 20" in items["target.contacts"]["label"] and items["target.contacts"]["value"] == 0
    # a month without targets: the group is left out of the report
    earlier = (start - dt.timedelta(days=1)).replace(day=1)
    assert "目标完成情况" not in {g["title"] for g in report_figure_groups(world.c1, earlier, start - dt.timedelta(days=1))}
