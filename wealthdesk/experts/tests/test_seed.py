"""Demo data: a pool at three levels (one advisor ended, one revoked) and consultations in every state; advisor_1 and
expert_1 have real work on their desks; a second run adds nothing."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wealthdesk.core.seeding import SeedContext
from wealthdesk.customers.models import Customer
from wealthdesk.experts import seed
from wealthdesk.experts.choices import ConsultationStatus, Level
from wealthdesk.experts.models import Consultation, PoolMember
from wealthdesk.experts.selectors import my_work

pytestmark = pytest.mark.django_db


def test_demo_pool_and_consultations(world, login_as):
    for i in range(8):
        Customer.objects.create(cif_no=f"C90000000{i}", name=f"客户{i}", id_number=f"11010519800101{i:03d}X",
                                center=world.c1, client_manager=world.cm_c1_1, tier="premium",
                                aum=Decimal("500000"), birth_date=dt.date(1975, 5, 5))
    ctx = SeedContext(size="small", seed=7, today=timezone.localdate())
    seed.seed(ctx)
    assert set(PoolMember.objects.values_list("level", flat=True)) == set(Level.values)
    assert PoolMember.objects.filter(revoked_at__isnull=False).count() == 1
    assert PoolMember.objects.filter(engagement_ends_on__lt=timezone.localdate()).count() == 1
    assert set(Consultation.objects.values_list("status", flat=True)) == set(ConsultationStatus.values)
    assert Consultation.objects.overdue(timezone.localdate()).exists()
    advisor, expert = my_work(world.advisor_1), my_work(world.expert_1)
    assert advisor["named"] and advisor["open"] and advisor["done"]
    assert expert["queue"] and expert["open"] and expert["bookings"]
    assert "data-testid=\"open-consultation-" in login_as("advisor_1").get("/experts/mine/").content.decode()
    before = Consultation.objects.count()
    seed.seed(ctx)
    assert Consultation.objects.count() == before
