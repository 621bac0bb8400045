"""20 real threads on PostgreSQL: readers opening dashboards at once after a load rebuild the AUM summary of a day
exactly once (the day's state row is locked), and 20 heads submitting the same operating report: one wins."""
import pytest
from django.core.exceptions import ValidationError

from wealthdesk.core.submission import submission_submit
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.dashboards.models import AumDayState, CenterDayAum
from wealthdesk.dashboards.summary import ensure_days, rebuild_day
from wealthdesk.reports.models import Report
from wealthdesk.reports.tests.helpers import center_report

from .helpers import fill, today

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_readers_rebuild_a_stale_day_once(world):
    fill(world)
    day = today()
    result = race(lambda _: rebuild_day(day))
    assert not result.errors, result.errors[:3]
    assert sorted(result.winners, reverse=True)[0] == 2 and sorted(result.winners)[:19] == [0] * 19  # one builder
    assert CenterDayAum.objects.filter(as_of=day).count() == 2
    assert AumDayState.objects.filter(as_of=day).count() == 1
    ensure_days([day])  # fresh: nothing rebuilt
    assert CenterDayAum.objects.filter(as_of=day).count() == 2


def test_twenty_heads_submit_the_operating_report_once(world):
    report = center_report(world)
    result = race(lambda _: submission_submit(actor=world.head_c1, report=Report.objects.get(pk=report.pk)))
    result.assert_one_winner(ValidationError)
