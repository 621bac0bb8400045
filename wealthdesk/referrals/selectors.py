"""Reads of referrals and the R17 statistics. Everything starts from ``Referral.objects.visible_to(user)``
(or, for the lobby manager who keeps the daily statistics, from the referrals made in their own unit).

The statistics functions are the contract for the performance sheet (R34): ``referral_figures`` gives
made / accepted / converted / invalid / conversion rate / AUM brought in, grouped per referrer, per position,
per day, per month or per center, for any period.
"""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from wealthdesk.core.metric_windows import date_window, per_window
from wealthdesk.core.roles import UPPER_LEVEL, Reach, Role
from wealthdesk.core.rollup import rollup_children
from wealthdesk.core.scoping import scope_for
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.models import OrgUnit

from .choices import OPEN_STATUSES, PENDING_STATUSES, Position, ReferralStatus
from .models import Referral

STATS_MANAGERS = frozenset({Role.CENTER_HEAD, Role.TEAM_LEAD, *UPPER_LEVEL})
STATS_ROLES = STATS_MANAGERS | {Role.LOBBY_MANAGER}
FIGURES = ("made", "accepted", "converted", "invalid", "aum")


def referral_list(user, *, status: str = "", overdue: bool = False, today: dt.date | None = None,
                  assigned_to: str = "") -> QuerySet[Referral]:
    """The referral list (referrer: their own; client manager: the inbox; head: the center's)."""
    qs = Referral.objects.visible_to(user).select_related("referrer", "assigned_to", "center", "referrer_unit")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in ReferralStatus.values:
        qs = qs.filter(status=status)
    if overdue and today:
        qs = qs.overdue(today)
    if assigned_to.isdigit():
        qs = qs.filter(assigned_to_id=int(assigned_to))
    return qs.order_by("-referred_on", "-id")


def visible_customer_names(user, referrals) -> dict[int, str]:
    """Names of the referred customers the user may see in the customer list (``Customer.visible_to``), in one
    query: the referral list shows these in full, as the customer list does, and the masked label otherwise."""
    if scope_for(user).reach == Reach.NONE:
        return {}
    ids = {r.customer_id for r in referrals if r.customer_id}
    if not ids:
        return {}
    return dict(Customer.objects.visible_to(user).filter(pk__in=ids).values_list("pk", "name"))


def inbox_counts(user, today: dt.date) -> dict[str, int]:
    """A client manager's inbox in one query: new, accepted, contacted and overdue."""
    qs = Referral.objects.visible_to(user).filter(assigned_to=user)
    return qs.aggregate(
        new=Count("id", filter=Q(status=ReferralStatus.NEW)),
        accepted=Count("id", filter=Q(status=ReferralStatus.ACCEPTED)),
        contacted=Count("id", filter=Q(status=ReferralStatus.CONTACTED)),
        overdue=Count("id", filter=Q(status__in=PENDING_STATUSES, needs_follow_up=True, due_on__lt=today)),
    )


# --- statistics (R17) ----------------------------------------------------------------------------------------

def stats_base(user) -> QuerySet[Referral]:
    """Referrals the user's statistics cover: heads, team leads and upper levels their scope; the lobby manager
    (who keeps the daily statistics, R17) the referrals made in or handled by their own unit — counts only."""
    scope = scope_for(user)
    if scope.has(*STATS_MANAGERS):
        return Referral.objects.visible_to(user)
    if scope.has(Role.LOBBY_MANAGER) and scope.unit_id:
        return Referral.objects.filter(Q(referrer_unit_id=scope.unit_id) | Q(center_id=scope.unit_id))
    return Referral.objects.none()


def _aggregates():
    return {
        "made": Count("id"),
        "accepted": Count("id", filter=Q(accepted_at__isnull=False)),
        "converted": Count("id", filter=Q(status=ReferralStatus.CONVERTED)),
        "invalid": Count("id", filter=Q(status=ReferralStatus.INVALID)),
        "aum": Sum("conversion_amount", filter=Q(status=ReferralStatus.CONVERTED)),
    }


def _finish(row: dict) -> dict:
    row["aum"] = row.get("aum") or Decimal("0")
    row["rate"] = (row["converted"] / row["made"]) if row.get("made") else None
    return row


GROUPS = {
    "referrer": ("referrer_id", "referrer__full_name", "referrer__username", "referrer_position",
                 "referrer_unit__name"),
    "position": ("referrer_position",),
    "day": ("referred_on",),
    "center": ("center_id",),
    "assignee": ("assigned_to_id",),
}


def referral_figures(qs: QuerySet[Referral], *, start: dt.date, end: dt.date, group: str) -> list[dict]:
    """Figures for [start, end] grouped by ``group`` (referrer, position, day, month, center, assignee), one query.

    Each row: the group keys plus made, accepted, converted, invalid, aum (brought in) and rate (converted/made).
    """
    qs = qs.filter(referred_on__gte=start, referred_on__lte=end).order_by()
    if group == "month":
        rows = qs.annotate(month=TruncMonth("referred_on")).values("month").annotate(**_aggregates()).order_by("month")
    else:
        keys = GROUPS[group]
        rows = qs.values(*keys).annotate(**_aggregates()).order_by(*keys)
    return [_finish(dict(r)) for r in rows]


def position_rows(qs, *, start, end) -> list[dict]:
    """Always the three referring positions, in the handbook's order, zeros included."""
    found = {r["referrer_position"]: r for r in referral_figures(qs, start=start, end=end, group="position")}
    out = []
    for value, label in Position.choices:
        row = found.get(value) or _finish({"referrer_position": value, "made": 0, "accepted": 0, "converted": 0,
                                           "invalid": 0, "aum": None})
        row["label"] = str(label)
        out.append(row)
    return out


def referrer_rows(qs, *, start, end, ranked: bool = False) -> list[dict]:
    rows = referral_figures(qs, start=start, end=end, group="referrer")
    for r in rows:
        r["name"] = r["referrer__full_name"] or r["referrer__username"]
        r["position_label"] = str(Position(r["referrer_position"]).label) if r["referrer_position"] in Position.values \
            else r["referrer_position"]
    if ranked:
        rows.sort(key=lambda r: (-r["converted"], -r["aum"], -r["made"], r["name"]))
        for i, r in enumerate(rows, start=1):
            r["rank"] = i
    return rows


def totals(rows: list[dict]) -> dict:
    out = {k: 0 for k in ("made", "accepted", "converted", "invalid")}
    out["aum"] = Decimal("0")
    for r in rows:
        for k in out:
            out[k] += r.get(k) or 0
    return _finish(out)


def period_bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    if period == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    return day, day


def unit_rollup(user, qs, *, start, end, root: OrgUnit) -> list[dict]:
    """Per child unit of ``root`` (sub-branch, branch, head office…), the sums of its centers (R1 roll-up)."""
    per_center = {}
    for r in referral_figures(qs, start=start, end=end, group="center"):
        per_center[r["center_id"]] = {k: float(r[k] or 0) for k in FIGURES}
    rows = rollup_children(root, per_center)
    for row in rows:
        figures = {k: int(row["figures"].get(k, 0)) for k in FIGURES if k != "aum"}
        figures["aum"] = Decimal(str(row["figures"].get("aum", 0))).quantize(Decimal("0.01"))
        row["figures"] = _finish(figures)
    return rows


def statistics(user, *, period: str, day: dt.date, unit: OrgUnit | None = None) -> dict:
    """The 《优质客户推介日统计表》 (period="day") or the monthly statistics (period="month") for the user's scope,
    optionally narrowed to one unit's subtree (drill-down): per referrer (ranked monthly), per position,
    per child unit (roll-up) and totals."""
    start, end = period_bounds(period, day)
    qs = stats_base(user)
    if unit is not None:
        qs = qs.filter(Q(center__path__startswith=unit.path) | Q(referrer_unit__path__startswith=unit.path))
    by_referrer = referrer_rows(qs, start=start, end=end, ranked=(period == "month"))
    by_position = position_rows(qs, start=start, end=end)
    root = unit or _stats_root(user)
    by_unit = unit_rollup(user, qs, start=start, end=end, root=root) if root is not None else []
    return {"period": period, "start": start, "end": end, "unit": root, "by_referrer": by_referrer,
            "by_position": by_position, "by_unit": by_unit, "total": totals(by_position),
            "unit_total": totals([r["figures"] for r in by_unit])}


def _stats_root(user) -> OrgUnit | None:
    scope = scope_for(user)
    if not scope.unit_id:
        return None
    return OrgUnit.objects.filter(pk=scope.unit_id).first()


def trend(user, *, end: dt.date, days: int = 30, unit: OrgUnit | None = None) -> dict:
    """Daily made / converted / invalid for the ECharts trend on the head's page."""
    start = end - dt.timedelta(days=days - 1)
    qs = stats_base(user)
    if unit is not None:
        qs = qs.filter(Q(center__path__startswith=unit.path) | Q(referrer_unit__path__startswith=unit.path))
    by_day = {r["referred_on"]: r for r in referral_figures(qs, start=start, end=end, group="day")}
    labels, made, converted, invalid = [], [], [], []
    for i in range(days):
        d = start + dt.timedelta(days=i)
        r = by_day.get(d, {})
        labels.append(f"{d:%m-%d}")
        made.append(r.get("made", 0))
        converted.append(r.get("converted", 0))
        invalid.append(r.get("invalid", 0))
    return {"labels": labels, "made": made, "converted": converted, "invalid": invalid}


def trend_option(data: dict) -> dict:
    """An ECharts option for the trend (rendered by static/wd/app.js). Counts are drawn as straight lines with
    their points (a smoothed curve would suggest values between days); names in the user's language."""
    made, converted, invalid = _("推介"), _("转化"), _("无效")
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [made, converted, invalid], "top": 0},
        "grid": {"left": 40, "right": 20, "top": 36, "bottom": 30},
        "xAxis": {"type": "category", "data": data["labels"]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": made, "type": "line", "data": data["made"], "smooth": False},
            {"name": converted, "type": "line", "data": data["converted"], "smooth": False},
            {"name": invalid, "type": "bar", "data": data["invalid"]},
        ],
    }


# --- metrics for the registry (R9 log pre-fill, R34 performance) ---------------------------------------------
# Each metric is its base queryset (the people and states counted) and its window (the days of the period); the
# batch forms (``*_windows``) count many periods in one grouped query (issue 16, ``core.metric_windows``).

_made_window = date_window("referred_on")
_converted_window = date_window("converted_on")
_accepted_window = date_window("accepted_at", datetime=True)
_contacted_window = date_window("contacted_at", datetime=True)
FOLLOWED_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED, ReferralStatus.CONVERTED)


def _followed_window(start, end) -> Q:
    """Followed in the period: accepted, contacted or converted on one of its days."""
    return _accepted_window(start, end) | _contacted_window(start, end) | _converted_window(start, end)


def _made(user_ids) -> QuerySet[Referral]:
    return Referral.objects.filter(referrer_id__in=list(user_ids))


def _followed(user_ids) -> QuerySet[Referral]:
    return Referral.objects.filter(assigned_to_id__in=list(user_ids), status__in=FOLLOWED_STATUSES)


def _converted(user_ids) -> QuerySet[Referral]:
    return Referral.objects.filter(referrer_id__in=list(user_ids), status=ReferralStatus.CONVERTED)


def _counts(qs, group, window_q, start, end) -> dict[int, int]:
    rows = qs.filter(window_q(start, end)).values(group).annotate(n=Count("id")).order_by()
    return {r[group]: r["n"] for r in rows}


def metric_made(user_ids, start, end) -> dict[int, int]:
    return _counts(_made(user_ids), "referrer_id", _made_window, start, end)


def metric_followed(user_ids, start, end) -> dict[int, int]:
    return _counts(_followed(user_ids), "assigned_to_id", _followed_window, start, end)


def metric_converted(user_ids, start, end) -> dict[int, int]:
    return _counts(_converted(user_ids), "referrer_id", _converted_window, start, end)


def metric_made_windows(user_ids, windows) -> dict:
    return per_window(_made(user_ids), "referrer_id", windows, _made_window, Count("id"))


def metric_followed_windows(user_ids, windows) -> dict:
    return per_window(_followed(user_ids), "assigned_to_id", windows, _followed_window, Count("id"))


def metric_converted_windows(user_ids, windows) -> dict:
    return per_window(_converted(user_ids), "referrer_id", windows, _converted_window, Count("id"))
