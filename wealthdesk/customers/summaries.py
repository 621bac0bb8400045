"""The customers app's maintained summary (issue 16): ``CustomerCount`` per center, client manager, tier and
status — the one definition of the figure (``snapshot``) and its readers. Maintenance: ``core.summaries``."""
from __future__ import annotations

from django.db.models import Case, CharField, Count, Q, Sum, Value, When

from wealthdesk.core.summaries import bump, register_customer_summary, track_customer_rows

from .choices import TIER_RANK
from .models import Customer, CustomerCount, TierChangeCount, TierHistory

KEY = "customers.counts"
TIER_CHANGES_KEY = "customers.tier_changes"


def snapshot(ids):
    qs = Customer.objects.all() if ids is None else Customer.objects.filter(pk__in=ids)
    return (qs.order_by().values_list("center_id", "client_manager_id", "tier", "status")
            .annotate(n=Count("id"), aum_sum=Sum("aum")))


def _direction():
    """``up`` / ``down`` by the tiers' rank, ``""`` for a first tier or a change within one rank."""
    up = Q(pk__in=[])
    down = Q(pk__in=[])
    for old, old_rank in TIER_RANK.items():
        for new, new_rank in TIER_RANK.items():
            if new_rank > old_rank:
                up |= Q(from_tier=old, to_tier=new)
            elif new_rank < old_rank:
                down |= Q(from_tier=old, to_tier=new)
    return Case(When(up, then=Value("up")), When(down, then=Value("down")), default=Value(""),
                output_field=CharField())


def tier_change_rows(qs):
    """Tier history rows grouped by the customer's center and client manager, the day and the direction."""
    return (qs.order_by().annotate(direction=_direction()).exclude(direction="")
            .values_list("customer__center_id", "customer__client_manager_id", "changed_on", "direction")
            .annotate(n=Count("id")))


def tier_changes_snapshot(ids):
    """``TierChangeCount``'s definition."""
    return tier_change_rows(TierHistory.objects.all() if ids is None else TierHistory.objects.filter(customer_id__in=ids))


def tier_changes_added(rows) -> None:
    """Tier history rows written in bulk (``rows``: a queryset of them, e.g. the recomputation's INSERT … SELECT)
    added to the summary in the writer's transaction: one grouped query, one increment per key."""
    for center_id, manager_id, day, direction, n in tier_change_rows(rows):
        bump(TierChangeCount, {"center_id": center_id, "manager_id": manager_id, "day": day, "direction": direction},
             {"n": n})


def register() -> None:
    from wealthdesk.core.summaries import register_tracked_model

    connect()
    register_tracked_model("customers.Customer", {"center", "center_id", "client_manager", "client_manager_id",
                                                  "tier", "status", "aum", "created_at"})
    register_customer_summary(KEY, "customers.CustomerCount", keys=("center_id", "manager_id", "tier", "status"),
                              values=("n", "aum"), snapshot=snapshot, balance_derived=True)
    register_customer_summary(TIER_CHANGES_KEY, "customers.TierChangeCount",
                              keys=("center_id", "manager_id", "day", "direction"), values=("n",),
                              snapshot=tier_changes_snapshot)
    track_customer_rows(TierHistory, only=(TIER_CHANGES_KEY,))


def counts_visible_to(user):
    """The summary rows within the user's scope (same reach as ``Customer.objects.visible_to``)."""
    return CustomerCount.objects.visible_to(user)


def customers_per_center(user) -> dict[int, int]:
    """Customers (every status) per center within the user's scope: one query on the summary."""
    rows = counts_visible_to(user).values_list("center_id").annotate(s=Sum("n")).order_by()
    return {center: int(s or 0) for center, s in rows}


# ---- maintenance of every summary when one customer is saved (signals, so the admin, the services and the
# factories all keep them; bulk updates call ``core.summaries.customers_tracked`` themselves) -----------------

KEY_FIELDS = frozenset({"center", "center_id", "client_manager", "client_manager_id", "tier", "status", "aum"})


def _concerns(update_fields) -> bool:
    return update_fields is None or bool(KEY_FIELDS & set(update_fields))


def customer_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    from wealthdesk.core.summaries import snapshot_rows

    if raw or not instance.pk or not _concerns(update_fields):
        instance._summary_before = None
        return
    instance._summary_before = snapshot_rows([instance.pk])


def customer_post_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    from wealthdesk.core.summaries import apply_rows

    if raw or not _concerns(update_fields):
        return
    before = {} if created else getattr(instance, "_summary_before", None)
    if before is None and not created:
        return
    apply_rows(before, [instance.pk])


def connect() -> None:
    from django.db.models.signals import post_save, pre_save

    pre_save.connect(customer_pre_save, sender=Customer, dispatch_uid="customers.summaries.pre")
    post_save.connect(customer_post_save, sender=Customer, dispatch_uid="customers.summaries.post")
