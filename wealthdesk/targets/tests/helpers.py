"""Fixtures of the targets tests: a past month (so the month can be closed), head office's indicators, and the
month's plan of center c1 split among its staff."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wealthdesk.targets import services
from wealthdesk.targets.choices import PeriodKind
from wealthdesk.targets.models import Indicator, Target
from wealthdesk.targets.seed import seed_indicators


def last_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def indicators() -> dict[str, Indicator]:
    return {i.code: i for i in seed_indicators()}


def plan_c1(world, month: dt.date | None = None, *, split: bool = True) -> dict[str, Target]:
    """c1's month plan (amounts for every indicator, weights = the defaults) and, with ``split``, the client
    managers' and front desk's parts (equal shares)."""
    month = month or last_month()
    inds = indicators()
    amounts = {"aum_growth": 400000, "sales": 200000, "new_premium": 2, "contacts": 20, "referrals_followed": 2,
               "referrals_made": 6, "referrals_converted": 3, "complaints_recorded": 3}
    rows = [{"indicator": inds[c], "amount": a, "weight": inds[c].default_weight} for c, a in amounts.items()]
    targets = {t.indicator.code: t for t in services.target_plan_set(
        actor=world.head_c1, unit=world.c1, period_kind=PeriodKind.MONTH, period_start=month, rows=rows)}
    if split:
        for target in targets.values():
            people = services.split_candidates(target)
            share = (target.amount / len(people)).quantize(Decimal("0.01"))
            parts = {p.pk: share for p in people}
            parts[people[0].pk] += target.amount - share * len(people)
            services.target_split(actor=world.head_c1, target=target, parts=parts)
    return targets


def data(world):
    """c1's last-month plan, split, and its open sheet (made once per world)."""
    cached = getattr(world, "_targets_data", None)
    if cached is None:
        targets = plan_c1(world)
        sheet = services.sheet_open(actor=world.head_c1, unit=world.c1, month=last_month())
        mine = Target.objects.get(parent=targets["contacts"], staff=world.cm_c1_1)
        cached = {"targets": targets, "sheet": sheet, "mine": mine}
        object.__setattr__(world, "_targets_data", cached)
    return cached
