"""Demo data: 90 days of complaints with overdue, extended and escalated ones; a second run adds nothing."""
import datetime as dt

import pytest

from wealthdesk.complaints import seed
from wealthdesk.complaints.models import Complaint
from wealthdesk.core.seeding import SeedContext

pytestmark = pytest.mark.django_db


def test_seed_makes_ninety_days_of_varied_complaints_once(world):
    today = dt.date(2026, 11, 27)
    seed.seed(SeedContext(size="small", seed=7, today=today))
    qs = Complaint.objects.all()
    n = qs.count()
    assert n > 20
    assert qs.filter(received_on__lt=today - dt.timedelta(days=80)).exists()
    assert qs.filter(extended_at__isnull=False).exists() and qs.filter(escalated_to=world.quality_b1).exists()
    assert qs.filter(status="open", due_on__lt=today).exists() and qs.filter(status="closed").exists()
    assert all(c.logs.exists() for c in qs[:5])
    seed.seed(SeedContext(size="small", seed=7, today=today))
    assert Complaint.objects.count() == n


@pytest.mark.parametrize("days_back", [0, 3])
def test_seed_writes_nothing_dated_after_now_or_after_its_today(world, days_back):
    """Logs (contact, escalation, closing) of recent complaints used to be dated days ahead."""
    from django.utils import timezone

    from wealthdesk.complaints.models import ComplaintLog

    today = timezone.localdate() - dt.timedelta(days=days_back)
    seed.seed(SeedContext(size="medium", seed=3, today=today))
    end_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time.max))
    limit = min(timezone.now(), end_of_today)
    assert ComplaintLog.objects.filter(created_at__lte=limit).exists()
    assert not ComplaintLog.objects.filter(created_at__gt=limit).exists()
    assert not Complaint.objects.filter(escalated_at__gt=limit).exists()
    assert not Complaint.objects.filter(extended_at__gt=limit).exists()
    assert not Complaint.objects.filter(closed_on__gt=today).exists()
    assert Complaint.objects.filter(received_on__gte=today - dt.timedelta(days=2)).exists()  # recent ones exist
