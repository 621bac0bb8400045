"""Demo data: reports in every state of the chain, shared semiannual reports readable across centers; idempotent."""
import pytest
from django.utils import timezone

from wealthdesk.core.seeding import SeedContext
from wealthdesk.reports import seed, selectors
from wealthdesk.reports.models import Report

pytestmark = pytest.mark.django_db


def test_seed_has_every_state_and_a_shared_report_other_centers_read(world):
    seed.seed(SeedContext(size="small", seed=7, today=timezone.localdate()))
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "received", "shared"} <= statuses
    assert Report.objects.filter(status="draft", returned_at__isnull=False).exists(), "returned for rework"
    assert {"cm_monthly", "cm_semiannual", "operating", "complaints_monthly", "needs_quarterly"} <= set(
        Report.objects.values_list("kind", flat=True))
    shared = selectors.library(world.cm_c2_1).exclude(unit=world.c2)
    assert shared.exists(), "a center reads another center's shared analysis"
    count = Report.objects.count()
    seed.seed(SeedContext(size="small", seed=7, today=timezone.localdate()))
    assert Report.objects.count() == count
