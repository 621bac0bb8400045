"""20 real threads close the same month at once on PostgreSQL: exactly one wins (select_for_update), the others
are refused because the month is already closed; and 20 splits of one target leave one consistent set of parts."""
import pytest
from django.core.exceptions import ValidationError
from django.db import connection  # noqa: F401 - read by the skipif condition

from wealthdesk.core.testing.races import race
from wealthdesk.targets import services
from wealthdesk.targets.models import PerformanceSheet, Target

from .helpers import last_month, plan_c1

pytestmark = [pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
              pytest.mark.django_db(transaction=True)]


def test_twenty_heads_close_the_month_once(world):
    sheet = services.sheet_open(actor=world.head_c1, unit=world.c1, month=last_month())
    result = race(lambda s: services.sheet_close(actor=world.head_c1, sheet=s),
                  prepare=lambda: PerformanceSheet.objects.get(pk=sheet.pk))
    result.assert_one_winner(ValidationError)
    sheet.refresh_from_db()
    assert sheet.is_closed and sheet.version == 2


def test_twenty_splits_of_one_target_keep_the_parts_adding_up(world):
    target = plan_c1(world, split=False)["contacts"]
    people = services.split_candidates(target)

    def split(t):
        parts = {p.pk: 0 for p in people}
        parts[people[0].pk] = t.amount
        return services.target_split(actor=world.head_c1, target=t, parts=parts, reason="并发", version=t.version)

    result = race(split, prepare=lambda: Target.objects.get(pk=target.pk))
    result.assert_one_winner(ValidationError)
    assert sum(t.amount for t in Target.objects.filter(parent=target)) == target.amount
    assert Target.objects.filter(parent=target).count() == len(people)
