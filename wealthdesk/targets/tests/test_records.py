"""The records registry behind the sheet's drill-down (R34): for every metric that can list its records, the records
of one staff member add up to exactly the figure the metric computed (a count: one per record; money: the sum)."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.complaints.models import Complaint
from wealthdesk.complaints.tests.helpers import record
from wealthdesk.contacts.tests.factories import make_contact
from wealthdesk.core.audit import audited_update
from wealthdesk.core.registry import metric_records, metric_values, metrics
from wealthdesk.referrals.tests.helpers import refer

pytestmark = pytest.mark.django_db


def test_every_metric_with_records_lists_exactly_what_it_counts(world):
    today = timezone.localdate()
    make_contact(world.cust_a, world.cm_c1_1, today - dt.timedelta(days=3))
    make_contact(world.cust_a, world.cm_c1_1, today - dt.timedelta(days=2))
    make_contact(world.cust_a2, world.cm_c1_2, today - dt.timedelta(days=1))
    refer(world, "teller_c1", mobile=world.cust_a.mobile)
    refer(world, "lobby_c1", prospect=("赵六", "13900001111"))
    complaint = record(world, customer=world.cust_a)
    audited_update(Complaint.objects.filter(pk=complaint.pk), actor=world.admin, what="test: an overdue complaint",
                   owner=world.head_c1, due_on=today - dt.timedelta(days=1), received_on=today - dt.timedelta(days=20))
    users = [u for u in world.users.values() if u.unit_id == world.c1.pk]
    start, end = today - dt.timedelta(days=40), today
    listed = 0
    for key, metric in sorted(metrics().items()):
        if metric.records is None:
            continue
        figures = metric_values(key, [u.pk for u in users], start, end)
        for user in users:
            records = metric_records(key, user.pk, start, end)
            expected = float(figures.get(user.pk, 0) or 0)
            if metric.unit == "percent":  # the due items, value 1 when met: met ÷ due is the figure
                share = round(sum(r.value for r in records) / len(records) * 100, 1) if records else None
                assert share == figures.get(user.pk), (key, user.username)
            elif metric.unit == "yuan":
                assert round(sum(r.value for r in records), 2) == round(expected, 2), (key, user.username)
            else:
                assert len(records) == expected, (key, user.username, len(records), expected)
            listed += len(records)
    assert listed >= 6
    assert len(metric_records("complaints_overdue", world.head_c1.pk, start, end)) == 1
    assert len(metric_records("referrals_made", world.teller_c1.pk, start, end)) == 1
    assert metric_records("no_such_metric", world.head_c1.pk, start, end) is None
