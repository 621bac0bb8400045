"""Demo data of the semiannual analyses (issue 12): after ``seed_demo --size small`` every one of the six analyses
has figures for the previous half-year (seeded by ``analyses/seed.py``) at head office and at the first center,
and the first center's head has written the risk narrative."""
import pytest
from django.core.management import call_command
from django.utils import timezone

from wealthdesk.analyses.choices import AnalysisKind
from wealthdesk.analyses.models import AnalysisNarrative
from wealthdesk.analyses.periods import half_of
from wealthdesk.analyses.selectors import analysis
from wealthdesk.core.seeding import SIZES
from wealthdesk.staff.models import User

pytestmark = pytest.mark.django_db
TODAY = "2026-11-27"


def test_every_analysis_has_figures_for_the_demo_half_year(monkeypatch):
    monkeypatch.setitem(SIZES, "small", 300)
    call_command("seed_demo", "--size", "small", "--today", TODAY, stdout=open("/dev/null", "w"))
    previous = half_of(timezone.datetime.fromisoformat(TODAY).date()).previous()
    for username in ("hq_service", "head_c1"):
        user = User.objects.select_related("unit").get(username=username)
        for kind in AnalysisKind.values:
            result = analysis(user, kind, user.unit, previous)
            assert not result.empty, (username, kind, result.empty)
            assert result.figures and any(v for _k, _l, v in result.figures if not isinstance(v, str)), (
                username, kind, result.figures)
            assert result.tables or result.charts, (username, kind)
    assert AnalysisNarrative.objects.filter(kind=AnalysisKind.RISK, unit__code__isnull=False).exists()
