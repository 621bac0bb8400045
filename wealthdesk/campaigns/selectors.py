"""Reads of campaigns (R25, R39): the segment resolved set-based, the lists, the campaign's results against its
holdout, and the yearly quota per center rolled up the tree. Every read starts from ``visible_to``."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from wealthdesk.contacts.models import ContactRecord
from wealthdesk.core.memo import ids_key, memo
from wealthdesk.core.params import get_param
from wealthdesk.core.rollup import rollup_children
from wealthdesk.corebanking.models import DailyBalance, Holding, Product
from wealthdesk.customers.choices import CustomerStatus
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit

from .choices import QUOTA_STATUSES, REACHED, CampaignStatus, ProductHeld, Scale
from .models import Campaign, CampaignMember, Segment

ZERO = Decimal("0")


def _years_ago(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def segment_filter(segment: Segment, customers: QuerySet, *, today: dt.date | None = None) -> QuerySet:
    """Apply a segment's criteria to a customer queryset: one SQL statement (EXISTS sub-queries for products,
    maturities and contacts), whatever the number of customers."""
    today = today or timezone.localdate()
    qs = customers.filter(center_id=segment.center_id, status=CustomerStatus.ACTIVE)
    if segment.tiers:
        qs = qs.filter(tier__in=segment.tiers)
    if segment.aum_min is not None:
        qs = qs.filter(aum__gte=segment.aum_min)
    if segment.aum_max is not None:
        qs = qs.filter(aum__lte=segment.aum_max)
    if segment.risk_levels:
        qs = qs.filter(risk_level__in=segment.risk_levels)
    if segment.age_min is not None:
        qs = qs.filter(birth_date__lte=_years_ago(today, segment.age_min))
    if segment.age_max is not None:
        qs = qs.filter(birth_date__gt=_years_ago(today, segment.age_max + 1))
    holdings = Holding.objects.filter(customer_id=OuterRef("pk"), amount__gt=0)
    if segment.product_kind:  # the few product ids of the kind first: the sub-query then needs no join
        product_ids = list(Product.objects.filter(kind=segment.product_kind).values_list("pk", flat=True))
        holdings = holdings.filter(product_id__in=product_ids)
    if segment.product_kind and segment.product_held == ProductHeld.HELD:
        qs = qs.filter(Exists(holdings))
    elif segment.product_kind and segment.product_held == ProductHeld.NOT_HELD:
        qs = qs.filter(~Exists(holdings))
    if segment.maturity_from or segment.maturity_to:
        maturing = holdings
        if segment.maturity_from:
            maturing = maturing.filter(maturity_date__gte=segment.maturity_from)
        if segment.maturity_to:
            maturing = maturing.filter(maturity_date__lte=segment.maturity_to)
        qs = qs.filter(Exists(maturing))
    if segment.last_contact_before:
        since = timezone.make_aware(dt.datetime.combine(segment.last_contact_before, dt.time.min))
        qs = qs.filter(~Exists(ContactRecord.objects.filter(customer_id=OuterRef("pk"), contacted_at__gte=since)))
    return qs


def segment_customers(user, segment: Segment, *, today: dt.date | None = None) -> QuerySet[Customer]:
    """The customers a segment matches, as ``user`` may see them, always within the segment's center (unordered:
    callers that list them order them)."""
    return segment_filter(segment, Customer.objects.visible_to(user), today=today).order_by()


def segment_size(user, segment: Segment) -> int:
    return segment_customers(user, segment).count()


def campaign_list(user, *, status: str = "", scale: str = "", year: int | None = None) -> QuerySet[Campaign]:
    qs = Campaign.objects.visible_to(user).select_related("center", "segment")
    if status in CampaignStatus.values:
        qs = qs.filter(status=status)
    if scale in Scale.values:
        qs = qs.filter(scale=scale)
    if year:
        qs = qs.filter(starts_on__year=year)
    # Counted per listed campaign (correlated subqueries, evaluated for the page's rows), not by joining every
    # visible campaign's call list before the LIMIT (issue 16: 2.3 M call-list rows, 4.5 s at head office).
    members = CampaignMember.objects.filter(campaign_id=OuterRef("pk")).order_by().values("campaign_id")
    return qs.annotate(
        member_count=Coalesce(Subquery(members.filter(is_holdout=False).annotate(n=Count("pk")).values("n")), 0),
        called_count=Coalesce(Subquery(members.filter(call_status__in=REACHED).annotate(n=Count("pk")).values("n")),
                              0)) \
        .order_by("-starts_on", "-id")


def campaign_get(user, pk) -> Campaign:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Campaign.objects.visible_to(user).select_related("center", "segment", "decided_by"),
                             pk=pk)


def member_list(user, campaign: Campaign, *, status: str = "", mine: bool = False,
                holdout: str = "") -> QuerySet[CampaignMember]:
    """The call list of one campaign as ``user`` may see it (a client manager: their own customers)."""
    qs = CampaignMember.objects.visible_to(user).filter(campaign=campaign) \
        .select_related("customer", "client_manager")
    if mine:
        qs = qs.filter(client_manager_id=user.pk)
    if status:
        qs = qs.filter(call_status=status)
    if holdout == "1":
        qs = qs.filter(is_holdout=True)
    elif holdout == "0":
        qs = qs.filter(is_holdout=False)
    return qs.order_by("is_holdout", "call_status", "customer__name", "id")


def my_calls(user) -> QuerySet[CampaignMember]:
    """A client manager's open calls in running campaigns (the workbench panel)."""
    return CampaignMember.objects.filter(client_manager_id=user.pk, campaign__status=CampaignStatus.RUNNING,
                                         is_holdout=False, call_status="pending")


# ---------------------------------------------------------------- results (feedback, R25)

def result_window(campaign: Campaign) -> tuple[dt.date, dt.date]:
    """The window in which a targeted customer's purchases and AUM count for the campaign: from its start to
    ``campaign.result_window_days`` after its end."""
    start = campaign.started_at.date() if campaign.started_at else campaign.starts_on
    return start, campaign.ends_on + dt.timedelta(days=int(get_param("campaign.result_window_days")))


def outcome_expressions(campaign: Campaign, *, today: dt.date | None = None) -> dict:
    """Per member (correlated on ``customer_id``): ``bought`` (a purchase of one of the campaign's product kinds
    in the window, from corebanking holdings), ``aum_end`` (the last daily balance in the window) and ``aum_now``
    (the customer's current AUM, used when no balance was loaded)."""
    start, end = result_window(campaign)
    end = min(end, today or timezone.localdate())
    bought = Holding.objects.filter(customer_id=OuterRef("customer_id"), start_date__gte=start, start_date__lte=end,
                                    amount__gt=0)
    if campaign.product_kinds:
        bought = bought.filter(product__kind__in=campaign.product_kinds)
    last_balance = DailyBalance.objects.filter(customer_id=OuterRef("customer_id"), as_of__lte=end,
                                               as_of__gte=start).order_by("-as_of").values("aum")[:1]
    return {"bought": Exists(bought), "aum_end": Subquery(last_balance),
            "aum_now": Subquery(Customer.objects.filter(pk=OuterRef("customer_id")).order_by().values("aum")[:1])}


def member_outcomes(campaign: Campaign, *, today: dt.date | None = None) -> QuerySet[CampaignMember]:
    """Every member annotated with the ``outcome_expressions``. Set-based: one statement."""
    return CampaignMember.objects.filter(campaign=campaign).annotate(**outcome_expressions(campaign, today=today))


def _group(rows: list[dict]) -> dict:
    n = len(rows)
    conversions = sum(1 for r in rows if r["converted"])
    gain = sum((r["gain"] for r in rows), ZERO)
    return {"customers": n, "conversions": conversions,
            "conversion_rate": round(conversions / n, 4) if n else 0.0,
            "aum_gain": float(gain), "aum_gain_per_customer": float(round(gain / n, 2)) if n else 0.0}


def compute_results(campaign: Campaign, *, today: dt.date | None = None) -> dict:
    """Goals against what the system measured (R25 feedback): contacts made, customers reached, conversions and
    AUM brought in by the contacted group, each compared with the holdout so the uplift is measured, not claimed.

    ``uplift.conversion_points`` = contacted conversion rate − holdout rate (percentage points as a share);
    ``uplift.conversions`` = that difference × contacted customers (conversions the campaign added);
    ``uplift.aum`` = (mean AUM gain contacted − mean AUM gain holdout) × contacted customers."""
    rows = []
    for m in member_outcomes(campaign, today=today).values("id", "is_holdout", "call_status", "aum_at_start",
                                                           "bought", "aum_end", "aum_now", "attended", "invited"):
        end_aum = m["aum_end"] if m["aum_end"] is not None else m["aum_now"]
        rows.append({"id": m["id"], "holdout": m["is_holdout"], "reached": m["call_status"] in REACHED,
                     "converted": bool(m["bought"]), "gain": (end_aum or ZERO) - (m["aum_at_start"] or ZERO),
                     "invited": m["invited"], "attended": m["attended"]})
    targeted = [r for r in rows if not r["holdout"]]
    holdout = [r for r in rows if r["holdout"]]
    t, h = _group(targeted), _group(holdout)
    contacts = ContactRecord.objects.filter(source=f"campaign:{campaign.pk}").count()
    uplift = {"conversion_points": None, "conversions": None, "aum": None}
    if holdout and targeted:
        n_t, n_h = len(targeted), len(holdout)
        extra = Decimal(t["conversions"]) - Decimal(h["conversions"]) * n_t / n_h
        gain_t = sum((r["gain"] for r in targeted), ZERO)
        gain_h = sum((r["gain"] for r in holdout), ZERO)
        uplift = {"conversion_points": round(t["conversions"] / n_t - h["conversions"] / n_h, 4),
                  "conversions": float(round(extra, 1)),
                  "aum": float((gain_t - gain_h * n_t / n_h).quantize(Decimal("0.01")))}
    start, end = result_window(campaign)
    return {
        "window": [start.isoformat(), end.isoformat()],
        "contacts": contacts,
        "reached": sum(1 for r in targeted if r["reached"]),
        "invited": sum(1 for r in targeted if r["invited"]),
        "attended": sum(1 for r in targeted if r["attended"]),
        "targeted": t, "holdout": h, "uplift": uplift,
        "goals": {"reached": campaign.goal_reached, "conversions": campaign.goal_conversions,
                  "aum": float(campaign.goal_aum)},
        "budget": float(campaign.budget), "spent": float(campaign.spent) if campaign.spent is not None else None,
        "converted_ids": [r["id"] for r in rows if r["converted"]],
        "gains": {str(r["id"]): float(r["gain"]) for r in rows},
    }


# ---------------------------------------------------------------- yearly quota (R25)

def quota_counts(center_ids, year: int) -> dict[int, dict[str, int]]:
    """Approved (or later) campaigns starting in ``year`` per center and scale: one grouped query (once per request
    for the same centers: the head's quota panel and the compliance panel both count them, ``core.memo``)."""
    center_ids = list(center_ids)
    return memo(("campaign_quota_counts", ids_key(center_ids), year), lambda: _quota_counts(center_ids, year))


def _quota_counts(center_ids, year: int) -> dict[int, dict[str, int]]:
    out = {cid: {"small": 0, "large": 0} for cid in center_ids}
    rows = Campaign.objects.filter(center_id__in=list(center_ids), starts_on__year=year, status__in=QUOTA_STATUSES) \
        .values("center_id", "scale").annotate(n=Count("id"))
    for row in rows:
        out.setdefault(row["center_id"], {"small": 0, "large": 0})[row["scale"]] = row["n"]
    return out


def months_left(today: dt.date) -> int:
    """Whole calendar months left in the year after the current one (December → 0)."""
    return 12 - today.month


def quota_targets() -> dict[str, int]:
    return {"small": int(get_param("campaign.small_per_year")), "large": int(get_param("campaign.large_per_year"))}


def center_quota(center_id: int, today: dt.date | None = None) -> dict:
    """The live quota figure of one center: "4 / 6 small, 1 / 2 large, 2 months left"."""
    today = today or timezone.localdate()
    counts = quota_counts([center_id], today.year)[center_id]
    targets = quota_targets()
    return {"year": today.year, "small": counts["small"], "large": counts["large"],
            "small_target": targets["small"], "large_target": targets["large"], "months_left": months_left(today),
            "short": max(0, targets["small"] - counts["small"]) + max(0, targets["large"] - counts["large"])}


QUOTA_CENTER_ROWS = 60


def quota_board(user, root: OrgUnit, today: dt.date | None = None) -> dict:
    """The quota rolled up under ``root`` (``core.rollup``): per child unit the campaigns done, the number of
    centers and how many are short; the centers themselves for a sub-branch or a center."""
    today = today or timezone.localdate()
    targets = quota_targets()
    centers = list(OrgUnit.objects.filter(path__startswith=root.path, kind=UnitKind.CENTER).order_by("path"))
    counts = quota_counts([c.pk for c in centers], today.year)
    per_center = {}
    for c in centers:
        n = counts[c.pk]
        per_center[c.pk] = {
            "small": n["small"], "large": n["large"], "centers": 1,
            "short_small": 1 if n["small"] < targets["small"] else 0,
            "short_large": 1 if n["large"] < targets["large"] else 0,
        }
    rows = rollup_children(root, per_center)
    # The centers one by one only where they are few (a sub-branch, a small branch); above that the rows drill
    # down (issue 16: head office listed its 1,334 centers, 253 KB).
    listed = centers if len(centers) <= QUOTA_CENTER_ROWS else []
    center_rows = [{"unit": c, **counts[c.pk], "short": counts[c.pk]["small"] < targets["small"]
                    or counts[c.pk]["large"] < targets["large"]} for c in listed]
    return {"year": today.year, "targets": targets, "months_left": months_left(today), "rows": rows,
            "centers": center_rows, "centers_hidden": len(centers) - len(listed)}


def compliance_quota(center_ids: list[int], today: dt.date) -> dict[int, dict[str, int]]:
    """The R25 compliance measure: due = the yearly quota (small + large), done = campaigns approved so far
    (capped per scale at its quota), overdue = how far the center is behind the pace (quota × months elapsed ÷
    12, rounded down) — the campaigns it should have run by now and has not."""
    targets = quota_targets()
    counts = quota_counts(center_ids, today.year)
    elapsed = today.month - 1
    out = {}
    for cid in center_ids:
        n = counts.get(cid, {"small": 0, "large": 0})
        done = min(n["small"], targets["small"]) + min(n["large"], targets["large"])
        behind = sum(max(0, (targets[k] * elapsed) // 12 - n[k]) for k in ("small", "large"))
        out[cid] = {"due": targets["small"] + targets["large"], "done": done, "overdue": behind}
    return out


# ---------------------------------------------------------------- metrics (performance sheet, R34)

def metric_campaign_contacts(user_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    """Contacts each staff member recorded for a campaign's call list in [start, end]: one grouped query."""
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    rows = ContactRecord.objects.filter(staff_id__in=list(user_ids), source__startswith="campaign:",
                                        contacted_at__gte=lo, contacted_at__lt=hi) \
        .values("staff_id").annotate(n=Count("id"))
    return {r["staff_id"]: r["n"] for r in rows}


def metric_campaign_conversions(user_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    """Customers of each client manager's call lists who converted, in campaigns whose feedback was recorded in
    [start, end] (the conversions are measured then): one grouped query."""
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    rows = CampaignMember.objects.filter(client_manager_id__in=list(user_ids), is_holdout=False, converted=True,
                                         campaign__feedback_at__gte=lo, campaign__feedback_at__lt=hi) \
        .values("client_manager_id").annotate(n=Count("id"))
    return {r["client_manager_id"]: r["n"] for r in rows}

