"""The center's operating report (R35) shows its campaigns (R25): started in the period by scale, and the year's
quota still missing."""
import calendar

import pytest
from django.utils import timezone

from wealthdesk.core.registry import report_figure_groups

from .factories import make_campaign

pytestmark = pytest.mark.django_db


def test_the_operating_report_counts_the_month_s_campaigns(world):
    make_campaign(world, status="approved")
    make_campaign(world, status="draft")  # a draft does not count
    today = timezone.localdate()
    start, end = today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1])
    groups = {g["title"]: {i["key"]: i for i in g["items"]} for g in report_figure_groups(world.c1, start, end)}
    campaigns = groups["定向营销活动"]
    assert campaigns["campaigns.small"]["value"] == 1 and campaigns["campaigns.large"]["value"] == 0
    assert campaigns["campaigns.quota"]["value"] == 5 + 2  # 6 small and 2 large a year: 5 + 2 still missing
