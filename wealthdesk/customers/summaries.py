"""The customers app's maintained summary (issue 16): ``CustomerCount`` per center, client manager, tier and
status — the one definition of the figure (``snapshot``) and its readers. Maintenance: ``core.summaries``."""
from __future__ import annotations

from django.db.models import Count, Sum

from wealthdesk.core.summaries import register_customer_summary

from .models import Customer, CustomerCount

KEY = "customers.counts"


def snapshot(ids):
    qs = Customer.objects.all() if ids is None else Customer.objects.filter(pk__in=ids)
    return (qs.order_by().values_list("center_id", "client_manager_id", "tier", "status")
            .annotate(n=Count("id"), aum_sum=Sum("aum")))


def register() -> None:
    from wealthdesk.core.summaries import register_tracked_model

    connect()
    register_tracked_model("customers.Customer", {"center", "center_id", "client_manager", "client_manager_id",
                                                  "tier", "status", "aum", "created_at"})
    register_customer_summary(KEY, "customers.CustomerCount", keys=("center_id", "manager_id", "tier", "status"),
                              values=("n", "aum"), snapshot=snapshot, balance_derived=True)


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
