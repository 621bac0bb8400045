"""The customers app's figures for the roll-up dashboards and the operating report (R1, R2, R35): customers and
AUM by tier (the state now), tier upgrades and downgrades in the period. Registered in ``nav.py``."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import UnitFigure

from .choices import PREMIUM_TIERS, TIER_RANK, CustomerStatus, Tier
from .models import CustomerCount, TierChangeCount, TierHistory

BY_FIELD = {"center": "center_id", "staff": "client_manager_id"}
SUMMARY_FIELD = {"center": "center_id", "staff": "manager_id"}
GROUP_CUSTOMERS = _("客户与资产")
GROUP_TIERS = _("客户级别变动")

AUM_LABELS = {Tier.PRIVATE: _("私人银行客户资产"), Tier.CORE: _("核心优质客户资产"),
              Tier.PREMIUM: _("普通优质客户资产"), Tier.ORDINARY: _("普通客户资产")}

CUSTOMER_FIGURES = (
    UnitFigure("customers_total", _("客户数"), GROUP_CUSTOMERS, flow=False, order=10),
    UnitFigure("premium_customers", _("优质客户数"), GROUP_CUSTOMERS, flow=False, order=11),
    *(UnitFigure(f"customers_{t}", label, GROUP_CUSTOMERS, flow=False, order=12 + i)
      for i, (t, label) in enumerate(Tier.choices)),
    UnitFigure("aum_total", _("管理资产（AUM）"), GROUP_CUSTOMERS, unit="yuan", flow=False, order=20),
    *(UnitFigure(f"aum_{t}", AUM_LABELS[t], GROUP_CUSTOMERS, unit="yuan", flow=False, order=21 + i)
      for i, t in enumerate(Tier.values)),
)
TIER_FIGURES = (
    UnitFigure("tier_upgrades", _("级别上调"), GROUP_TIERS, order=40),
    UnitFigure("tier_downgrades", _("级别下调"), GROUP_TIERS, order=41),
)


def customers_by_tier(ids, start: dt.date, end: dt.date, by: str = "center") -> dict[int, dict[str, float]]:
    """Customers (not closed) and their AUM by tier, now: one grouped query on the maintained summary
    (``CustomerCount``: counts kept by the customer writes, AUM by the daily load)."""
    field = SUMMARY_FIELD[by]
    rows = (CustomerCount.objects.filter(**{f"{field}__in": ids}).exclude(status=CustomerStatus.CLOSED)
            .values(field, "tier").annotate(n=Sum("n"), aum=Sum("aum")).order_by())
    out: dict[int, dict[str, float]] = {}
    for r in rows:
        if not r["n"]:
            continue
        f = out.setdefault(r[field], {})
        n, aum = int(r["n"]), float(r["aum"] or 0)
        f[f"customers_{r['tier']}"] = f.get(f"customers_{r['tier']}", 0) + n
        f[f"aum_{r['tier']}"] = round(f.get(f"aum_{r['tier']}", 0) + aum, 2)
        f["customers_total"] = f.get("customers_total", 0) + n
        f["aum_total"] = round(f.get("aum_total", 0) + aum, 2)
        if r["tier"] in PREMIUM_TIERS:
            f["premium_customers"] = f.get("premium_customers", 0) + n
    return out


def tier_changes(ids, start: dt.date, end: dt.date, by: str = "center") -> dict[int, dict[str, int]]:
    """Tier changes recorded in the period, up or down by the tiers' rank (first tiers are neither): one grouped
    query on the maintained summary (``TierChangeCount``; ``live_tier_changes`` is its definition)."""
    field = SUMMARY_FIELD[by]
    rows = (TierChangeCount.objects.filter(**{f"{field}__in": ids}, day__gte=start, day__lte=end)
            .values(field).order_by()
            .annotate(up=Sum("n", filter=Q(direction="up")), down=Sum("n", filter=Q(direction="down"))))
    out: dict[int, dict[str, int]] = {}
    for r in rows:
        f = {k: int(r[src]) for k, src in (("tier_upgrades", "up"), ("tier_downgrades", "down")) if r[src]}
        if f:
            out[r[field]] = f
    return out


def live_tier_changes(ids, start: dt.date, end: dt.date, by: str = "center") -> dict[int, dict[str, int]]:
    """The tier changes counted from the tier history."""
    field = f"customer__{BY_FIELD[by]}"
    rows = (TierHistory.objects.filter(**{f"{field}__in": ids}, changed_on__gte=start, changed_on__lte=end)
            .exclude(from_tier="").values(field, "from_tier", "to_tier").annotate(n=Count("id")).order_by())
    out: dict[int, dict[str, int]] = {}
    for r in rows:
        old, new = TIER_RANK.get(r["from_tier"]), TIER_RANK.get(r["to_tier"])
        if old is None or new is None or old == new:
            continue
        key = "tier_upgrades" if new > old else "tier_downgrades"
        f = out.setdefault(r[field], {})
        f[key] = f.get(key, 0) + r["n"]
    return out
