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
