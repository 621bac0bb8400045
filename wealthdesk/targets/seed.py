"""Demo data of targets and performance sheets (R33, R34): head office's indicators; a year of monthly targets for
the demo centers and their scored staff (amounts drawn around what each person actually did, so some are ahead and
some behind), the year's center targets, and a sheet per center per month — older months closed (frozen through
the service, so the audit trail is real), last month left open in every other center (short of the R34 close).
Targets are bulk-created (quick on SQLite); idempotent."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from wealthdesk.core.audit import audit_context
from wealthdesk.core.registry import metric_values
from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import SeedContext
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import scoring, services
from .choices import Direction, IndicatorUnit, PeriodKind, PositionGroup
from .models import Indicator, PerformanceSheet, Target, TargetRevision, period_end_of

MAX_CENTERS = 6
CM, FD = PositionGroup.CLIENT_MANAGER, PositionGroup.FRONT_DESK
INDICATORS = [
    # code, name, metric, unit, weight, group, floor of a monthly target
    ("aum_growth", "管户资产增长", "aum_change", IndicatorUnit.YUAN, 25, CM, 200000),
    ("sales", "理财/基金/保险销售额", "sales_amount", IndicatorUnit.YUAN, 25, CM, 100000),
    ("new_premium", "新增优质客户", "new_premium_customers", IndicatorUnit.COUNT, 15, CM, 1),
    ("contacts", "联系客户次数", "contacts", IndicatorUnit.COUNT, 20, CM, 10),
    ("referrals_followed", "推介跟进", "referrals_followed", IndicatorUnit.COUNT, 15, CM, 1),
    ("referrals_made", "推介优质客户（数量）", "referrals_made", IndicatorUnit.COUNT, 50, FD, 2),
    ("referrals_converted", "推介转化（质量）", "referrals_converted", IndicatorUnit.COUNT, 30, FD, 1),
    ("complaints_recorded", "受理并登记投诉", "complaints_received", IndicatorUnit.COUNT, 20, FD, 1),
]


def seed_indicators() -> list[Indicator]:
    if not Indicator.objects.exists():
        Indicator.objects.bulk_create([
            Indicator(code=code, name=name, metric_key=metric, unit=unit, default_weight=weight, position_group=group,
                      direction=Direction.POSITIVE, cap_percent=120, order=i)
            for i, (code, name, metric, unit, weight, group, _floor) in enumerate(INDICATORS)])
    return list(Indicator.objects.filter(is_active=True))


def _months(today: dt.date) -> list[dt.date]:
    return [dt.date(today.year, m, 1) for m in range(1, today.month + 1)]


def seed(ctx: SeedContext) -> None:
    indicators = seed_indicators()
    if Target.objects.exists():
        ctx.log(f"    targets already present: {Target.objects.count()}")
        return
    rng, today = ctx.rng, ctx.today
    floors = {code: floor for code, *_rest, floor in INDICATORS}
    centers = list(OrgUnit.objects.filter(kind=UnitKind.CENTER, is_active=True).order_by("id")[:MAX_CENTERS])
    staff_by_center = {c.pk: scoring.scored_staff([c.pk]) for c in centers}
    all_staff = [u for users in staff_by_center.values() for u in users]
    ids = [u.pk for u in all_staff]
    heads = {u.unit_id: u for u in User.objects.filter(unit__in=centers, role_assignments__role=Role.CENTER_HEAD)}
    months = _months(today)
    actual = {(ind.metric_key, m): metric_values(ind.metric_key, ids, m, period_end_of(PeriodKind.MONTH, m))
              for ind in indicators for m in months}
    revisions = []
    for center in centers:
        head = heads.get(center.pk)
        if head is None:
            continue
        yearly = {}
        for ind in indicators:
            members = [u for u in staff_by_center[center.pk] if u.wd_group == ind.position_group]
            if not members:
                continue
            center_year = Decimal("0")
            for month in months:
                parts = {}
                for u in members:
                    done = float(actual[(ind.metric_key, month)].get(u.pk, 0) or 0)
                    amount = max(done * rng.uniform(0.8, 1.35), floors[ind.code] * rng.uniform(0.8, 1.5))
                    parts[u] = Decimal(str(round(amount, 0 if ind.unit == IndicatorUnit.COUNT else -3)))
                whole = sum(parts.values(), Decimal("0"))
                center_year += whole
                parent = Target.objects.create(indicator=ind, period_kind=PeriodKind.MONTH, period_start=month,
                                               unit=center, amount=whole, weight=ind.default_weight, created_by=head)
                revisions.append(TargetRevision(target=parent, new_amount=whole, new_weight=ind.default_weight,
                                                reason="年度计划按月分解", actor=head))
                Target.objects.bulk_create([
                    Target(indicator=ind, period_kind=PeriodKind.MONTH, period_start=month, unit=center, staff=u,
                           parent=parent, amount=amount, weight=ind.default_weight, created_by=head)
                    for u, amount in parts.items()])
            yearly[ind] = center_year
        for ind, amount in yearly.items():
            target = Target.objects.create(indicator=ind, period_kind=PeriodKind.YEAR,
                                           period_start=dt.date(today.year, 1, 1), unit=center,
                                           amount=amount * Decimal(12) / Decimal(len(months)), weight=ind.default_weight,
                                           created_by=head)
            revisions.append(TargetRevision(target=target, new_amount=target.amount, new_weight=target.weight,
                                            reason="年度计划", actor=head))
    TargetRevision.objects.bulk_create(revisions)
    _seed_sheets(ctx, centers, heads, months)
    ctx.log(f"    targets: {Target.objects.count()}, sheets: {PerformanceSheet.objects.count()}")


def _seed_sheets(ctx, centers, heads, months) -> None:
    """A sheet per center per month; the months before last closed, last month closed in every other center."""
    last = months[-2] if len(months) > 1 else None
    with audit_context(source="command:seed_demo"):
        for index, center in enumerate(centers):
            head = heads.get(center.pk)
            if head is None:
                continue
            for month in months:
                sheet = services.sheet_open(actor=head, unit=center, month=month)
                if month == months[-1] or (month == last and index % 2):
                    continue
                if month == last:
                    services.sheet_comment(actor=head, sheet=sheet, comment="本月整体完成较好，联系客户次数仍需加强。")
                services.sheet_close(actor=head, sheet=sheet)
