"""R34 arithmetic against a hand-computed fixture: weights, the cap per indicator, the bonus ceiling, a negative
indicator, deductions and the head's adjustments."""
import pytest

from wealthdesk.core import registry
from wealthdesk.targets import scoring, services
from wealthdesk.targets.choices import Direction, PeriodKind, PositionGroup
from wealthdesk.targets.models import Indicator, PerformanceSheet, Target

from .helpers import last_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixed_metrics(monkeypatch, world):
    """Three metrics with figures chosen by hand for cm_c1_1, and a deduction count."""
    figures = {"t_sales": 150.0, "t_contacts": 10.0, "t_complaints": 3.0, "complaints_overdue": 2.0,
               "questions_overdue": 1.0, "vip_contacts_missed": 0.0}
    for key, value in figures.items():
        monkeypatch.setitem(registry._METRICS, key, registry.Metric(
            key, key, lambda ids, s, e, v=value: {world.cm_c1_1.pk: v} if world.cm_c1_1.pk in ids else {}))
    return figures


def _target(world, code, metric, weight, amount, cap=120, direction=Direction.POSITIVE):
    ind = Indicator.objects.create(code=code, name=code, metric_key=metric, default_weight=weight, cap_percent=cap,
                                   direction=direction, position_group=PositionGroup.CLIENT_MANAGER)
    return Target.objects.create(indicator=ind, period_kind=PeriodKind.MONTH, period_start=last_month(),
                                 unit=world.c1, staff=world.cm_c1_1, amount=amount, weight=weight)


def test_the_score_is_computed_as_the_handbook_sheet_says(world, fixed_metrics):
    _target(world, "sales", "t_sales", 50, 100, cap=130)       # 150 % capped at 130 %: 50 base + 15 bonus
    _target(world, "contacts", "t_contacts", 30, 20)           # 50 %: 15 base
    _target(world, "complaints", "t_complaints", 20, 2, direction=Direction.NEGATIVE)  # 3 over a ceiling of 2: 2/3
    [score] = scoring.score_staff([world.cm_c1_1], last_month())
    lines = {line.code: line for line in score.lines}
    assert (lines["sales"].points, lines["sales"].bonus) == (50.0, 15.0)
    assert (lines["contacts"].points, lines["contacts"].bonus) == (15.0, 0.0)
    assert lines["complaints"].points == 13.33 and lines["complaints"].bonus == 0.0
    assert score.base == 78.33
    assert score.bonus == 10.0  # 15 earned above target, capped at 10
    # deductions: 2 overdue complaints × 2 + 1 overdue question × 1
    assert score.deduction_points == 5.0
    assert {d.key: d.count for d in score.deductions} == {"complaints_overdue": 2, "questions_overdue": 1}
    assert score.total == 83.33


def test_the_heads_adjustment_counts_and_the_total_never_goes_below_zero(world, fixed_metrics):
    _target(world, "contacts", "t_contacts", 100, 1000)  # 1 % → 1 point
    sheet = services.sheet_open(actor=world.head_c1, unit=world.c1, month=last_month())
    services.sheet_adjust(actor=world.head_c1, sheet=sheet, staff_id=world.cm_c1_1.pk, points="-3", reason="迟到")
    [score] = scoring.score_staff([world.cm_c1_1], last_month())
    assert score.base == 1.0 and score.adjustment_points == -3.0 and score.deduction_points == 5.0
    assert score.total == 0.0


def test_a_zero_target_asks_for_nothing_and_a_zero_ceiling_allows_nothing():
    assert scoring.ratio_of(Direction.POSITIVE, 0, 0, 120) == 1.0
    assert scoring.ratio_of(Direction.NEGATIVE, 0, 0, 120) == 1.0
    assert scoring.ratio_of(Direction.NEGATIVE, 0, 1, 120) == 0.0
    assert scoring.ratio_of(Direction.POSITIVE, 10, 30, 120) == 1.2


def test_the_number_of_queries_does_not_grow_with_the_staff(world, fixed_metrics, django_assert_max_num_queries):
    for user in (world.cm_c1_1, world.cm_c1_2):
        ind, _ = Indicator.objects.get_or_create(code="contacts", defaults=dict(
            name="c", metric_key="t_contacts", default_weight=100))
        Target.objects.create(indicator=ind, period_kind=PeriodKind.MONTH, period_start=last_month(), unit=world.c1,
                              staff=user, amount=10, weight=100)
    sheet = PerformanceSheet(unit=world.c1, period_start=last_month())
    with django_assert_max_num_queries(8):
        scores = scoring.sheet_scores(sheet)
    assert len(scores) >= 4  # client managers, the lead, the lobby manager and tellers are scored
