"""Issue 16: ``policy.policy_counts`` (one grouped query, the last contact looked up once per customer) gives the
same figures as the ORM's ``met_q`` / ``overdue_q`` filters, month boundaries in Asia/Shanghai included."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count
from django.utils import timezone

from wealthdesk.contacts import policy
from wealthdesk.contacts.models import ContactRecord
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 12, minute: int = 0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def orm_counts(today, months):
    rows = (policy.with_last_contact(Customer.objects.filter(tier__in=policy.policy_tiers(months)))
            .values("center_id").annotate(met=Count("id", filter=policy.met_q(today, months)),
                                          overdue=Count("id", filter=policy.overdue_q(today, months))))
    return {r["center_id"]: {"met": r["met"], "overdue": r["overdue"]} for r in rows}


@pytest.mark.parametrize("today", [dt.date(2027, 2, 1), dt.date(2027, 2, 28), dt.date(2027, 3, 15)])
def test_policy_counts_equal_the_orm_filters(world, today):
    moments = [None, _at(dt.date(2027, 1, 31), 23, 59), _at(dt.date(2027, 2, 1), 0, 0), _at(dt.date(2026, 12, 1), 0, 0),
               _at(dt.date(2026, 11, 30), 23, 59), _at(dt.date(2027, 3, 1), 8, 0), _at(dt.date(2026, 6, 6))]
    tiers = [Tier.PRIVATE, Tier.CORE, Tier.PREMIUM, Tier.ORDINARY]
    for i, moment in enumerate(moments * 2):
        center, cm = (world.c1, world.cm_c1_1) if i % 2 == 0 else (world.c2, world.cm_c2_1)
        c = Customer.objects.create(cif_no=f"P{i:09d}", name=f"客户{i}", id_number=f"11010519800101{i:04d}",
                                    mobile=f"1390000{i:04d}", center=center, client_manager=cm, tier=tiers[i % 4],
                                    aum=Decimal("600000"), aum_avg=Decimal("600000"), gender="F",
                                    birth_date=dt.date(1980, 1, 1))
        if moment:
            ContactRecord.objects.create(customer=c, staff=cm, kind="phone", contacted_at=moment)
    for months in (policy.intervals(), {Tier.PRIVATE: 1, Tier.CORE: 2, Tier.PREMIUM: 3, Tier.ORDINARY: 0}):
        assert policy.policy_counts(Customer.objects.all(), "center_id", today, months) == orm_counts(today, months)
