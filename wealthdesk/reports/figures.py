"""The system's figures that pre-fill each report (frozen with it when it is submitted).

A client manager's figures come from core's metrics registry (whatever the apps registered: contacts, referrals,
sales, AUM change, new premium customers, alerts…), so this app imports no app that owns them. The center's
reports add what the lower apps already hold: customers and AUM by tier, complaint statistics, needs cards.
Each figure is ``{"key", "label", "value", "unit"}``; the label is the Chinese msgid (translated on the page).
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from wealthdesk.core.registry import (
    compute_unit_figures,
    metrics,
    report_figure_groups,
    share_percent,
    unit_figures,
    with_ratios,
)
from wealthdesk.staff.models import User

from .choices import ReportKindChoice
from .kinds import OPERATING_KINDS


def _item(key, label, value, unit=""):
    if isinstance(value, float) and unit != "yuan":
        value = int(value) if value == int(value) else round(value, 2)
    return {"key": key, "label": str(label), "value": value, "unit": unit}


def metric_items(user_ids: list[int], start: dt.date, end: dt.date) -> list[dict]:
    """Every registered metric, summed over ``user_ids`` for the period (one set-based call per metric)."""
    out = []
    for key, metric in sorted(metrics().items()):
        if metric.parts is not None:  # a percentage: the sum of met over the sum of due, not a sum of percentages
            parts = metric.parts(list(user_ids), start, end) if user_ids else {}
            share = share_percent(sum(p[0] for p in parts.values()), sum(p[1] for p in parts.values()))
            out.append(_item(key, metric.label, share if share is not None else 0.0, metric.unit))
            continue
        values = metric.compute(list(user_ids), start, end) if user_ids else {}
        total = sum(float(v or 0) for v in values.values())
        out.append(_item(key, metric.label, round(total, 2) if metric.unit == "yuan" else total, metric.unit))
    return out


def complaint_items(center, start: dt.date, end: dt.date) -> list[dict]:
    from wealthdesk.complaints import stats

    figures = stats.per_center(center, stats.Period("monthly", start, end)).get(center.pk, {})
    return [_item(key, label, figures.get(key, 0)) for key, label in stats.columns()]


def needs_items(center_id: int, start: dt.date, end: dt.date) -> list[dict]:
    from wealthdesk.voice import selectors as voice
    from wealthdesk.voice.choices import NeedCategory

    totals: dict[str, float] = {}
    month = start
    while month <= end:
        f = voice.needs_figures(center_id, month)
        for cat, n in f["by_category"].items():
            totals[f"cat_{cat}"] = totals.get(f"cat_{cat}", 0) + n
        totals["cards"] = totals.get("cards", 0) + f["cards"]
        for key in ("asked", "on_spot", "in_time", "late", "open"):
            totals[f"q_{key}"] = totals.get(f"q_{key}", 0) + (f["questions"].get(key) or 0)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    labels = {"cards": "需求卡份数", "q_asked": "提问数", "q_on_spot": "当场答复", "q_in_time": "按时答复",
              "q_late": "超时答复", "q_open": "尚未答复"}
    out = [_item("cards", labels["cards"], totals.get("cards", 0))]
    out += [_item(f"cat_{v}", label, totals.get(f"cat_{v}", 0)) for v, label in NeedCategory.choices]
    out += [_item(k, labels[k], totals.get(k, 0)) for k in ("q_asked", "q_on_spot", "q_in_time", "q_late", "q_open")]
    return out


def operating_groups(unit, start: dt.date, end: dt.date) -> list[dict]:
    """The operating report's figures (R35): every registered unit figure of the center for the period, by group
    (customers and AUM by tier, AUM change, tier changes, alerts and their follow-through, maturities, contacts,
    referrals, complaints, needs), the center's staff by position, then whatever other apps register for the
    report (targets vs actual, campaigns). The same figures as the dashboards' (R1)."""
    defs = unit_figures()
    values = with_ratios(compute_unit_figures([unit.pk], start, end).get(unit.pk, {}), defs)
    groups: list[dict] = []
    for f in defs:
        if not groups or groups[-1]["title"] != str(f.group):
            groups.append({"title": str(f.group), "items": []})
        value = values.get(f.key)
        groups[-1]["items"].append(_item(f.key, f.label, value if value is not None else "", f.unit))
    groups.append({"title": "人员情况", "items": staff_items(unit.pk)})
    return groups + report_figure_groups(unit, start, end)


def staff_items(center_id: int) -> list[dict]:
    """The center's active staff, in total and by position (a person with two positions counts in both)."""
    from wealthdesk.core.roles import Role
    from wealthdesk.staff.models import StaffRole

    staff = User.objects.filter(unit_id=center_id, is_active=True)
    by_role = dict(StaffRole.objects.filter(user__in=staff).values_list("role").annotate(n=Count("user", distinct=True))
                   .order_by())
    out = [_item("staff_total", "在岗人员", staff.count())]
    out += [_item(f"staff_{role}", label, by_role[role]) for role, label in Role.choices if by_role.get(role)]
    return out


def figures_for(kind: str, *, unit, author, start: dt.date, end: dt.date) -> dict:
    """The figures of one report, grouped: ``{"groups": [{"title", "items"}], "as_of"}``."""
    groups = []
    if kind in (ReportKindChoice.MONTHLY, ReportKindChoice.SEMIANNUAL):
        groups.append({"title": "本期业务数据", "items": metric_items([author.pk], start, end)})
    elif kind in OPERATING_KINDS:
        groups += operating_groups(unit, start, end)
    elif kind == ReportKindChoice.COMPLAINTS_MONTHLY:
        groups.append({"title": "客户投诉月统计", "items": complaint_items(unit, start, end)})
    elif kind == ReportKindChoice.NEEDS_QUARTERLY:
        groups.append({"title": "客户需求与问题", "items": needs_items(unit.pk, start, end)})
    return {"groups": groups, "as_of": f"{timezone.localdate():%Y-%m-%d}"}
