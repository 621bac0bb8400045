"""The branch's regional market and customer information for head office (R40), on core's submission chain.

One report per tier-1 branch and quarter: the system fills the figures of the branch's subtree (premium customers
per tier and their AUM, the cases its centers handed up in the quarter), the branch's customer-service section
writes the market, customer and competitor information and its suggestions, then submits it to head office, which
receives it or returns it for rework (``core.submission``)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.submission import PeriodKind, lock_for_edit, period_end_of, period_start_of, sync_instance
from wealthdesk.customers.choices import PREMIUM_TIERS
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.choices import UnitKind

from .models import Case, MarketInfoReport

KIND = "market_info"
WRITERS = frozenset({Role.BRANCH_SERVICE})


def branch_figures(unit, start: dt.date) -> dict:
    """Figures of the branch's subtree: premium customers and AUM per tier, cases handed up in the quarter."""
    end = period_end_of(PeriodKind.QUARTER, start)
    rows = (Customer.objects.filter(center__path__startswith=unit.path, tier__in=PREMIUM_TIERS)
            .values("tier").annotate(n=Count("id"), aum=Sum("aum_avg")).order_by())
    tiers = {r["tier"]: {"customers": r["n"], "aum": str(r["aum"] or 0)} for r in rows}
    cases = Case.objects.filter(center__path__startswith=unit.path, created_at__date__gte=start,
                                created_at__date__lte=end).count()
    return {"tiers": tiers, "cases": cases}


def validate_submit(report: MarketInfoReport) -> None:
    if not report.market.strip():
        raise ValidationError({"market": [_("请填写区域市场信息后再报送。")]})


@transaction.atomic
def report_create(*, actor, day: dt.date) -> MarketInfoReport:
    """The branch's report of the quarter holding ``day`` (created once; the existing one is returned)."""
    scope = scope_for(actor)
    if not scope.has(*WRITERS) or actor.unit_id is None or actor.unit.kind != UnitKind.BRANCH1:
        raise PermissionDenied(_("只有一级分行个金部客户服务科可以填报区域市场与客户信息。"))
    start = period_start_of(PeriodKind.QUARTER, day)
    existing = MarketInfoReport.objects.filter(unit_id=actor.unit_id, period_start=start).first()
    if existing:
        return existing
    report = MarketInfoReport(unit=actor.unit, period_start=start, author=actor, created_by=actor,
                              figures=branch_figures(actor.unit, start))
    report.prepare_chain()
    report.full_clean()
    report.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report)
    return report


@transaction.atomic
def report_update(*, actor, report: MarketInfoReport, version: int | None, **texts) -> MarketInfoReport:
    """Edit the texts of a draft (stale version → 409 / a clear message); the figures are refreshed."""
    locked = lock_for_edit(report, version=version)
    if not (scope_for(actor).has(*WRITERS) and actor.unit_id == locked.unit_id):
        raise PermissionDenied(_("只有本分行可以修改此报告。"))
    for name in MarketInfoReport.TEXT_FIELDS:
        if name in texts:
            setattr(locked, name, (texts[name] or "").strip())
    locked.figures = branch_figures(locked.unit, locked.period_start)
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"version": locked.version})
    sync_instance(report, locked)
    return locked
