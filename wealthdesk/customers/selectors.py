"""Reads of customer data; every one starts from ``Customer.objects.visible_to(user)``."""
from __future__ import annotations

import re

from django.db.models import Count, Q, QuerySet, Sum

from wealthdesk.core.fieldcrypto import blind_index
from wealthdesk.core.metric_windows import date_window, per_window
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.validators import MOBILE_RE
from wealthdesk.orgs.models import OrgUnit

from .choices import IdType, Tier
from .models import Customer

ID_LIKE = re.compile(r"^\d{17}[\dX]$")
SORTS = {
    "name": "name", "-name": "-name", "aum": "aum_avg", "-aum": "-aum_avg", "tier": "tier", "-tier": "-tier",
    "cif": "cif_no", "-cif": "-cif_no",
}


NAME_CONTAINS_MIN = 3


def customer_list(user, *, tier: str = "", client_manager: str = "", unit: str = "", q: str = "",
                  sort: str = "") -> QuerySet[Customer]:
    """Customers for the list page and the API: filter by tier, manager, unit; search by name or mobile's last 4."""
    qs = Customer.objects.visible_to(user).select_related("client_manager", "center")
    if tier in Tier.values:
        qs = qs.filter(tier=tier)
    if client_manager.isdigit():
        qs = qs.filter(client_manager_id=int(client_manager))
    if unit.isdigit():
        qs = qs.filter(center__in=OrgUnit._base_manager.filter(path__contains=f"{int(unit):06d}/").values("pk"))
    q = q.strip()
    if q:
        qs = qs.filter(search_q(q))
    return qs.order_by(SORTS.get(sort, "-aum_avg"), "id")


def search_q(q: str) -> Q:
    """The list's search box: a full resident ID number or a full mobile matches exactly through the blind
    index (issue 15: both are encrypted), four digits the mobile's last four, anything else the name."""
    if ID_LIKE.match(q.upper()):
        return Q(id_type=IdType.MAINLAND_ID, id_number_bidx=blind_index("id_number", q))
    if MOBILE_RE.match(q):
        return Q(mobile_bidx=blind_index("mobile", q))
    if q.isdigit() and len(q) == 4:
        return Q(mobile_tail=q)
    return name_search_q(q)


def name_search_q(q: str) -> Q:
    """The name search: one or two characters find names that *begin* with them (a prefix walk on the
    ``text_pattern_ops`` index; "张伟" finds 张伟, 张伟东 but not 李张伟), three or more find names that contain them
    (the trigram index; a trigram needs three characters). Neither scans the customer table on PostgreSQL."""
    return Q(name__startswith=q) if len(q) < NAME_CONTAINS_MIN else Q(name__contains=q)


def customer_pick(user, q: str, *, limit: int, premium: bool = False, own: bool = False) -> list[Customer]:
    """The customer picker's search (core.picker): by name, by customer number, or by the last digits of the
    mobile (3 or 4 digits, through ``mobile_tail``; a full mobile through its blind index); within ``visible_to(user)``, optionally only premium tiers or the user's own book;
    at most ``limit`` rows, ordered by name."""
    qs = Customer.objects.visible_to(user).only("id", "name", "cif_no", "mobile", "tier")
    if premium:
        qs = qs.premium()
    if own:
        qs = qs.filter(client_manager=user)
    q = q.strip()
    if q.isdigit() and len(q) >= 3:
        mobile = Q(mobile_bidx=blind_index("mobile", q)) if MOBILE_RE.match(q) else \
            Q(mobile_tail__endswith=q) if len(q) <= 4 else Q(pk__in=[])
        qs = qs.filter(mobile | Q(cif_no__endswith=q))
    else:
        qs = qs.filter(name_search_q(q) | Q(cif_no__iexact=q))
    return list(qs.order_by("name", "id")[:limit])


def tier_counts(user) -> dict[str, int]:
    """Customers by tier within the user's scope: one query on the maintained summary (``CustomerCount``)."""
    from .models import CustomerCount

    rows = CustomerCount.objects.visible_to(user).values("tier").annotate(s=Sum("n")).order_by()
    counts = {t: 0 for t in Tier.values}
    counts.update({r["tier"]: int(r["s"] or 0) for r in rows})
    return counts


def recent_viewers(customer: Customer, limit: int = 20) -> QuerySet[AuditLog]:
    """Who looked at or revealed this customer's data, newest first (shown to the center head)."""
    return AuditLog.objects.filter(
        Q(customer_id=customer.pk), Q(action__in=[AuditAction.VIEW, AuditAction.REVEAL, AuditAction.EXPORT])
    ).order_by("-at")[:limit]


def customer_by_exact_identifier(*, centers, id_number: str = "", mobile: str = "") -> Customer | None:
    """The one customer of ``centers`` with exactly this resident ID number (or else mobile), or ``None``.

    A deliberate, narrow exception to ``visible_to`` for front-desk staff, who have no customer reach but must
    name a customer on a referral (R16) or a complaint (R30): only a unique exact match, only in their own
    centers, and the caller shows nothing of it beyond what its form needs.
    """
    if id_number:
        match = {"id_type": IdType.MAINLAND_ID, "id_number_bidx": blind_index("id_number", id_number)}
    elif mobile:
        match = {"mobile_bidx": blind_index("mobile", mobile)}
    else:
        return None
    found = list(Customer.objects.filter(center__in=centers, **match)
                 .only("id", "name", "center_id", "client_manager_id", "tier", "aum", "aum_as_of")[:2])
    return found[0] if len(found) == 1 else None


def _overseen_managers(user):
    from wealthdesk.core.roles import Role
    from wealthdesk.staff.models import User

    return User.objects.visible_to(user).with_role(Role.CLIENT_MANAGER).filter(is_active=True)


def manager_book(user, *, center_id: int | None = None, manager_ids=None) -> list[dict]:
    """The client managers the user oversees with their book: premium customers, all customers, AUM, the
    ceiling ``cm.max_customers`` and whether they are over it. Two queries. ``manager_ids`` keeps those only."""
    from django.db.models import Sum

    from wealthdesk.core.params import get_param

    managers = _overseen_managers(user)
    if center_id is not None:
        managers = managers.filter(unit_id=center_id)
    if manager_ids is not None:
        managers = managers.filter(pk__in=list(manager_ids))
    managers = list(managers.select_related("unit").order_by("unit__path", "full_name", "id"))
    ceiling = int(get_param("cm.max_customers"))
    rows = (Customer.objects.filter(client_manager__in=[m.pk for m in managers]).values("client_manager_id")
            .annotate(total=Count("id"), premium=Count("id", filter=~Q(tier=Tier.ORDINARY)), aum=Sum("aum_avg")))
    by_id = {r["client_manager_id"]: r for r in rows}
    out = []
    for m in managers:
        r = by_id.get(m.pk, {})
        premium = r.get("premium", 0)
        out.append({"manager": m, "premium": premium, "total": r.get("total", 0), "aum": r.get("aum") or 0,
                    "max": ceiling, "overloaded": premium > ceiling})
    return out


def overloaded_managers(user) -> list[dict]:
    """Client managers with more premium customers than ``cm.max_customers`` (flagged on the head's page).
    Found in the maintained ``CustomerCount`` summary (kept in the customer writes' transaction), then the book
    of those few only (issue 16: head office's home counted all 1,000,000 customers by manager, 1.4–2.2 s)."""
    from django.db.models import Sum

    from wealthdesk.core.params import get_param

    from .models import CustomerCount

    ceiling = int(get_param("cm.max_customers"))
    over = (CustomerCount.objects.filter(manager__in=_overseen_managers(user).order_by().values("pk"))
            .exclude(tier=Tier.ORDINARY).values("manager_id").annotate(premium=Sum("n"))
            .filter(premium__gt=ceiling).values_list("manager_id", flat=True))
    ids = list(over)
    if not ids:
        return []
    return [row for row in manager_book(user, manager_ids=ids) if row["overloaded"]]


def manager_history(customer: Customer):
    """The customer's responsible managers over time, newest first."""
    return customer.manager_history.select_related("from_manager", "to_manager", "changed_by")[:20]


def metric_new_premium(user_ids, start, end) -> dict[int, int]:
    """Metric ``new_premium_customers`` (新增优质客户数): customers who rose from ordinary (or from nothing) into a
    premium tier in the period, per their client manager (R2)."""
    from .choices import PREMIUM_TIERS
    from .models import TierHistory

    rows = (TierHistory.objects.filter(customer__client_manager_id__in=list(user_ids), changed_on__gte=start,
                                       changed_on__lte=end, to_tier__in=PREMIUM_TIERS)
            .filter(Q(from_tier="") | Q(from_tier=Tier.ORDINARY))
            .values("customer__client_manager_id").annotate(n=Count("customer", distinct=True)).order_by())
    return {r["customer__client_manager_id"]: r["n"] for r in rows}


def metric_new_premium_windows(user_ids, windows) -> dict:
    """The batch form of ``new_premium_customers``: every period in one grouped query (issue 16)."""
    from .choices import PREMIUM_TIERS
    from .models import TierHistory

    rises = (TierHistory.objects.filter(customer__client_manager_id__in=list(user_ids), to_tier__in=PREMIUM_TIERS)
             .filter(Q(from_tier="") | Q(from_tier=Tier.ORDINARY)))
    return per_window(rises, "customer__client_manager_id", windows, date_window("changed_on"),
                      Count("customer", distinct=True))


def first_premium_rises(user_ids, start, end) -> dict[int, tuple[int, str]]:
    """customer id → (client manager id, tier reached) of each customer's first rise from ordinary (or from
    nothing) into a premium tier in [start, end] — the customers ``new_premium_customers`` counts (one query)."""
    from .choices import PREMIUM_TIERS
    from .models import TierHistory

    rows = (TierHistory.objects.filter(customer__client_manager_id__in=list(user_ids), changed_on__gte=start,
                                       changed_on__lte=end, to_tier__in=PREMIUM_TIERS)
            .filter(Q(from_tier="") | Q(from_tier=Tier.ORDINARY)).order_by("changed_on", "id")
            .values_list("customer_id", "customer__client_manager_id", "to_tier"))
    out: dict[int, tuple[int, str]] = {}
    for customer_id, manager_id, tier in rows:
        out.setdefault(customer_id, (manager_id, tier))
    return out


def new_premium_of_tier(tier: str):
    """Metric ``new_premium_<tier>`` (新增优质客户数 by tier, R33): the customers of ``new_premium_customers`` whose
    first rise in the period reached ``tier``, so the three tiers add up to the whole."""
    def compute(user_ids, start, end) -> dict[int, int]:
        out: dict[int, int] = {}
        for manager_id, reached in first_premium_rises(user_ids, start, end).values():
            if reached == tier:
                out[manager_id] = out.get(manager_id, 0) + 1
        return out

    return compute


def new_customers_metric(user_ids, start, end) -> dict[int, int]:
    """Metric "new_customers": customers entered in [start, end] whose responsible manager is the staff member."""
    rows = (Customer.objects.filter(client_manager_id__in=list(user_ids), created_at__date__gte=start,
                                    created_at__date__lte=end)
            .values("client_manager_id").annotate(n=Count("id")).order_by())
    return {r["client_manager_id"]: r["n"] for r in rows}


def new_customers_windows(user_ids, windows) -> dict:
    """The batch form of "new_customers" (the local days' bounds on ``created_at``: the same customers)."""
    return per_window(Customer.objects.filter(client_manager_id__in=list(user_ids)), "client_manager_id", windows,
                      date_window("created_at", datetime=True), Count("id"))
