"""R33: plans with weights adding up to 100, splits whose parts add up to the whole (a clear message naming the
indicator and the difference otherwise, nothing changed), no negative target, revisions with a recorded reason,
and live progress by working days."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wealthdesk.core.audit import AuditLog
from wealthdesk.targets import services
from wealthdesk.targets.choices import PeriodKind
from wealthdesk.targets.models import Target, TargetRevision
from wealthdesk.targets.progress import pace

from .helpers import indicators, last_month, plan_c1

pytestmark = pytest.mark.django_db


def _rows(weights=None, amount=100):
    inds = indicators()
    weights = weights or {}
    return [{"indicator": i, "amount": amount, "weight": weights.get(c, i.default_weight)} for c, i in inds.items()]


def test_a_plan_whose_weights_do_not_add_up_to_100_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.target_plan_set(actor=world.head_c1, unit=world.c1, period_kind=PeriodKind.MONTH,
                                 period_start=last_month(), rows=_rows({"sales": 30}))
    assert "客户经理" in str(exc.value) and "105" in str(exc.value) and "100" in str(exc.value)
    assert not Target.objects.exists()


def test_a_negative_target_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.target_plan_set(actor=world.head_c1, unit=world.c1, period_kind=PeriodKind.MONTH,
                                 period_start=last_month(), rows=_rows(amount=-1))
    assert "不能为负数" in str(exc.value)
    assert not Target.objects.exists()


def test_only_the_own_unit_is_planned(world):
    with pytest.raises(PermissionDenied):
        services.target_plan_set(actor=world.head_c2, unit=world.c1, period_kind=PeriodKind.MONTH,
                                 period_start=last_month(), rows=_rows())
    with pytest.raises(PermissionDenied):
        services.target_plan_set(actor=world.cm_c1_1, unit=world.c1, period_kind=PeriodKind.MONTH,
                                 period_start=last_month(), rows=_rows())


def test_parts_that_do_not_add_up_are_refused_naming_the_indicator_and_the_difference(world):
    targets = plan_c1(world, split=False)
    contacts = targets["contacts"]
    with pytest.raises(ValidationError) as exc:
        services.target_split(actor=world.head_c1, target=contacts,
                              parts={world.cm_c1_1.pk: 10, world.cm_c1_2.pk: 5})
    message = str(exc.value)
    assert "联系客户次数" in message and "15.00" in message and "20.00" in message and "-5.00" in message
    assert not Target.objects.filter(parent=contacts).exists()


def test_a_negative_part_is_refused(world):
    contacts = plan_c1(world, split=False)["contacts"]
    with pytest.raises(ValidationError) as exc:
        services.target_split(actor=world.head_c1, target=contacts,
                              parts={world.cm_c1_1.pk: 25, world.cm_c1_2.pk: -5})
    assert "不小于0" in str(exc.value)
    assert not Target.objects.filter(parent=contacts).exists()


def test_a_part_outside_the_center_is_refused(world):
    contacts = plan_c1(world, split=False)["contacts"]
    with pytest.raises(ValidationError):
        services.target_split(actor=world.head_c1, target=contacts, parts={world.cm_c2_1.pk: 20})
    with pytest.raises(ValidationError):  # a teller is not given a client manager's indicator
        services.target_split(actor=world.head_c1, target=contacts, parts={world.teller_c1.pk: 20})


def test_the_head_splits_among_the_staff_and_a_resplit_needs_a_reason_kept_in_the_history(world):
    contacts = plan_c1(world, split=False)["contacts"]
    people = services.split_candidates(contacts)
    assert {p.username for p in people} == {"cm_c1_1", "cm_c1_2", "lead_c1"}
    parts = {world.cm_c1_1.pk: 10, world.cm_c1_2.pk: 6, world.lead_c1.pk: 4}
    services.target_split(actor=world.head_c1, target=contacts, parts=parts)
    mine = Target.objects.get(parent=contacts, staff=world.cm_c1_1)
    assert mine.amount == Decimal("10") and mine.weight == contacts.weight and mine.unit == world.c1
    contacts.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.target_split(actor=world.head_c1, target=contacts, parts={**parts, world.cm_c1_1.pk: 8,
                                                                            world.cm_c1_2.pk: 8})
    assert "原因" in str(exc.value)
    services.target_split(actor=world.head_c1, target=contacts,
                          parts={**parts, world.cm_c1_1.pk: 8, world.cm_c1_2.pk: 8}, reason="一号客户经理休假一周")
    mine.refresh_from_db()
    assert mine.amount == Decimal("8")
    history = list(TargetRevision.objects.filter(target=mine).order_by("id"))
    assert [(h.old_amount, h.new_amount) for h in history] == [(None, Decimal("10")), (Decimal("10"), Decimal("8"))]
    assert history[-1].reason == "一号客户经理休假一周"
    assert AuditLog.objects.filter(object_type="targets.target", object_id=str(contacts.pk)).count() >= 3


def test_a_revision_of_the_plan_needs_a_reason(world):
    plan_c1(world, split=False)
    rows = _rows()
    rows[0]["amount"] = 999
    with pytest.raises(ValidationError) as exc:
        services.target_plan_set(actor=world.head_c1, unit=world.c1, period_kind=PeriodKind.MONTH,
                                 period_start=last_month(), rows=rows)
    assert "原因" in str(exc.value)


def test_upper_levels_split_among_the_units_below(world):
    inds = indicators()
    rows = [{"indicator": inds["contacts"], "amount": 100, "weight": 100}]
    [target] = services.target_plan_set(actor=world.subbranch1_service, unit=world.sub1, period_kind=PeriodKind.YEAR,
                                        period_start=dt.date(2026, 1, 1), rows=rows)
    assert [u.code for u in services.split_candidates(target)] == ["C1"]  # the outlet has no targets
    [part] = services.target_split(actor=world.subbranch1_service, target=target, parts={world.c1.pk: 100})
    assert part.unit == world.c1 and part.staff is None and part.period_kind == PeriodKind.YEAR
    # the head's own plan of the year links to it
    [own] = services.target_plan_set(actor=world.head_c1, unit=world.c1, period_kind=PeriodKind.YEAR,
                                     period_start=dt.date(2026, 1, 1), rows=rows, reason="x")
    assert own.pk == part.pk


def test_progress_is_expected_by_working_days_elapsed_and_forecast_to_the_end():
    # December 2026: 23 working days; on the 10th, 8 have passed (1-4, 7-10)
    p = pace(230, 40, dt.date(2026, 12, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 10), negative=False)
    assert p.expected == 80.0 and p.gap == -40.0 and p.forecast == 115.0 and p.behind
    ahead = pace(230, 100, dt.date(2026, 12, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 10), negative=False)
    assert not ahead.behind


def test_a_reason_with_control_characters_or_too_long_is_refused(world):
    contacts = plan_c1(world, split=False)["contacts"]
    for reason in ("a" * 201, "调整\x07"):
        with pytest.raises(ValidationError) as exc:
            services.target_split(actor=world.head_c1, target=contacts, parts={world.cm_c1_1.pk: 20}, reason=reason)
        assert "调整原因" in str(exc.value)
    assert not Target.objects.filter(parent=contacts).exists()
