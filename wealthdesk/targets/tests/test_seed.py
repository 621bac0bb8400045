"""Demo data: a year of monthly targets for the demo centers split among their staff, the year's targets, and a
sheet per center per month, older months closed (frozen), last month open in every other center; a second run adds
nothing."""
import datetime as dt

import pytest

from wealthdesk.core.seeding import SeedContext
from wealthdesk.targets import seed
from wealthdesk.targets.choices import PeriodKind
from wealthdesk.targets.models import PerformanceSheet, Target

pytestmark = pytest.mark.django_db


def test_demo_data_holds_a_year_of_targets_and_sheets(world):
    today = dt.date(2026, 11, 27)
    ctx = SeedContext(size="small", seed=7, today=today)
    seed.seed(ctx)
    months = set(Target.objects.filter(unit=world.c1, period_kind=PeriodKind.MONTH).values_list("period_start",
                                                                                                  flat=True))
    assert len(months) == 11
    assert Target.objects.filter(unit=world.c1, period_kind=PeriodKind.YEAR, staff__isnull=True).exists()
    for parent in Target.objects.filter(unit=world.c1, staff__isnull=True, period_kind=PeriodKind.MONTH):
        assert sum(p.amount for p in parent.parts.all()) == parent.amount
    sheets = PerformanceSheet.objects.filter(unit=world.c1)
    assert sheets.count() == 11
    assert sheets.filter(closed_at__isnull=False).count() >= 9 and sheets.get(period_start=dt.date(2026, 11, 1))
    assert not sheets.get(period_start=dt.date(2026, 11, 1)).is_closed
    assert all(s.frozen["staff"] for s in sheets.filter(closed_at__isnull=False))
    last = dt.date(2026, 10, 1)
    assert {PerformanceSheet.objects.get(unit=c, period_start=last).is_closed for c in (world.c1, world.c2)} == \
        {True, False}
    before = Target.objects.count()
    seed.seed(ctx)
    assert Target.objects.count() == before
