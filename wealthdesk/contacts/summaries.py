"""The contacts app's maintained figures (issue 16).

* ``ContactState.last_contact_at`` — each customer's last contact, set by ``contact_create`` (the only writer of
  contact records) in its transaction, under the customer's row lock;
* ``CoverageCount`` — customers per center, client manager, tier, anchor month and "ever contacted": the
  coverage and overdue counts of the contact policy are range sums over it (``coverage_rows``). Maintained
  through ``core.summaries`` by the contact write and by the customer services (a tier change or a transfer
  moves the customer's row).
* ``ContactDayCount`` / ``ContactCenterDayCount`` — contacts made and customers first contacted in the month,
  per (center, client manager,) tier and local day: the dashboards' contact figures (``unit_figures``). Kept by
  every save and delete of a contact record (``core.summaries.track_customer_rows``, the customer locked) and
  by the customer services (a tier change or a transfer moves the customer's days).
"""
from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, TruncDate

from wealthdesk.core.summaries import (
    customers_tracked,
    register_customer_summary,
    register_state_table,
    track_customer_rows,
)
from wealthdesk.customers.models import Customer

from . import policy
from .models import ContactRecord, ContactState, CoverageCount

KEY = "contacts.coverage"
DAYS_KEY = "contacts.days"
CENTER_DAYS_KEY = "contacts.center_days"


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def snapshot(ids):
    """Customers grouped by (center, manager, tier, anchor month, contacted) — the definition of the summary."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    qs = Customer.objects.all() if ids is None else Customer.objects.filter(pk__in=ids)
    anchor = Coalesce(F("contact_state__last_contact_at"), F("created_at"))
    return (qs.order_by()
            .annotate(cov_month=ExtractYear(anchor, tzinfo=tz) * 12 + ExtractMonth(anchor, tzinfo=tz) - 1,
                      cov_contacted=Case(When(contact_state__last_contact_at__isnull=False, then=Value(True)),
                                         default=Value(False)))
            .values_list("center_id", "client_manager_id", "tier", "cov_month", "cov_contacted")
            .annotate(n=Count("id")))


def _local_month(expression):
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return ExtractYear(expression, tzinfo=tz) * 12 + ExtractMonth(expression, tzinfo=tz) - 1


def _day_snapshot(ids, keys: tuple[str, ...]):
    """Contacts of the customers ``ids`` (all: ``None``) per ``keys`` of the customer and the contact's local
    day: the contacts, and those that are the customer's first of the calendar month (no earlier contact of the
    customer in the same month; two at the same instant: the lower id is the first)."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    qs = ContactRecord.objects.all() if ids is None else ContactRecord.objects.filter(customer_id__in=ids)
    earlier = (ContactRecord.objects.filter(customer_id=OuterRef("customer_id"),
                                            contacted_at__gt=OuterRef("contacted_at") - dt.timedelta(days=32))
               .filter(Q(contacted_at__lt=OuterRef("contacted_at"))
                       | Q(contacted_at=OuterRef("contacted_at"), pk__lt=OuterRef("pk")))
               .annotate(m=_local_month(F("contacted_at"))).filter(m=OuterRef("contact_month")))
    return (qs.order_by().annotate(contact_month=_local_month(F("contacted_at")),
                                   contact_day=TruncDate("contacted_at", tzinfo=tz))
            .values_list(*keys, "contact_day")
            .annotate(n=Count("id"), first=Sum(Case(When(Exists(earlier), then=Value(0)), default=Value(1),
                                                    output_field=IntegerField()))))


def day_snapshot(ids):
    """``ContactDayCount``'s definition: per center, client manager and tier of the customer, and local day."""
    return _day_snapshot(ids, ("customer__center_id", "customer__client_manager_id", "customer__tier"))


def center_day_snapshot(ids):
    """``ContactCenterDayCount``'s definition: per center and tier of the customer, and local day."""
    return _day_snapshot(ids, ("customer__center_id", "customer__tier"))


@transaction.atomic
def rebuild_state() -> int:
    """Every customer's last contact from the contact records (one DELETE and one INSERT … SELECT)."""
    table = connection.ops.quote_name(ContactState._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")
        sql, params = (ContactRecord.objects.order_by().values_list("customer_id")
                       .annotate(m=Max("contacted_at")).query.sql_with_params())
        cursor.execute(f"INSERT INTO {table} (customer_id, last_contact_at) {sql}", params)
        return cursor.rowcount


def state_differences() -> list[tuple]:
    live = dict(ContactRecord.objects.order_by().values_list("customer_id").annotate(m=Max("contacted_at")))
    stored = {k: v for k, v in ContactState.objects.values_list("customer_id", "last_contact_at") if v}
    return [(k, stored.get(k), live.get(k)) for k in sorted(set(live) | set(stored)) if stored.get(k) != live.get(k)]


def register() -> None:
    connect()
    register_state_table("contacts.last_contact", rebuild=rebuild_state, differences=state_differences)
    register_customer_summary(KEY, "contacts.CoverageCount",
                              keys=("center_id", "manager_id", "tier", "anchor_month", "contacted"),
                              values=("n",), snapshot=snapshot)
    register_customer_summary(DAYS_KEY, "contacts.ContactDayCount", keys=("center_id", "manager_id", "tier", "day"),
                              values=("contacts", "first_contacts"), snapshot=day_snapshot)
    register_customer_summary(CENTER_DAYS_KEY, "contacts.ContactCenterDayCount", keys=("center_id", "tier", "day"),
                              values=("contacts", "first_contacts"), snapshot=center_day_snapshot)
    track_customer_rows(ContactRecord, only=(DAYS_KEY, CENTER_DAYS_KEY))


def _lock_customer(customer_id: int) -> None:
    list(Customer.objects.select_for_update(of=("self",)).filter(pk=customer_id).values_list("pk"))


@transaction.atomic
def contact_recorded(customer_id: int, contacted_at) -> None:
    """A new contact: lock the customer, move its last contact forward and its coverage row with it, in the
    writer's transaction. Concurrent contacts for one customer queue on the lock; for different customers they
    only meet in the summary's increments."""
    _lock_customer(customer_id)
    with customers_tracked([customer_id], only=[KEY]):
        if not ContactState.objects.filter(pk=customer_id).exists():
            ContactState.objects.create(customer_id=customer_id, last_contact_at=contacted_at)
        else:
            ContactState.objects.filter(Q(last_contact_at__lt=contacted_at) | Q(last_contact_at__isnull=True),
                                        pk=customer_id).update(last_contact_at=contacted_at)


@transaction.atomic
def contact_recomputed(customer_id: int) -> None:
    """A contact deleted, moved to another customer or re-dated: the customer's last contact recomputed."""
    _lock_customer(customer_id)
    with customers_tracked([customer_id], only=[KEY]):
        last = ContactRecord.objects.filter(customer_id=customer_id).aggregate(m=Max("contacted_at"))["m"]
        ContactState.objects.update_or_create(customer_id=customer_id, defaults={"last_contact_at": last})


def contact_pre_save(sender, instance, raw=False, **kwargs):
    instance._summary_before = None
    if not raw and instance.pk:
        instance._summary_before = ContactRecord.objects.filter(pk=instance.pk).values_list(
            "customer_id", "contacted_at").first()


def contact_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_summary_before", None)
    if created or before is None:
        contact_recorded(instance.customer_id, instance.contacted_at)
    elif before != (instance.customer_id, instance.contacted_at):
        for customer_id in {before[0], instance.customer_id}:
            contact_recomputed(customer_id)


def contact_post_delete(sender, instance, **kwargs):
    contact_recomputed(instance.customer_id)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    pre_save.connect(contact_pre_save, sender=ContactRecord, dispatch_uid="contacts.summaries.pre")
    post_save.connect(contact_post_save, sender=ContactRecord, dispatch_uid="contacts.summaries.post")
    post_delete.connect(contact_post_delete, sender=ContactRecord, dispatch_uid="contacts.summaries.delete")


# ---- readers ------------------------------------------------------------------------------------------------

def _met_q(today: dt.date, months: dict[str, int]) -> Q:
    q = Q(pk__in=[])
    for tier, n in months.items():
        if n:
            q |= Q(tier=tier, contacted=True, anchor_month__gte=month_index(today) + 1 - n)
    return q


def _overdue_q(today: dt.date, months: dict[str, int]) -> Q:
    q = Q(pk__in=[])
    for tier, n in months.items():
        if n:
            q |= Q(tier=tier, anchor_month__lt=month_index(today) - n)
    return q


def coverage_rows(user, today: dt.date, *, group: tuple[str, ...], unit=None, months: dict | None = None):
    """Sums of the coverage summary within the user's scope (optionally one unit's subtree), grouped by
    ``group`` (e.g. ``("center_id",)`` or ``("manager_id", "center_id")``): ``total``, ``met``, ``overdue``.
    Customers without a client manager are left out, as on the page."""
    months = months or policy.intervals()
    qs = CoverageCount.objects.visible_to(user).filter(tier__in=policy.policy_tiers(months), manager__isnull=False)
    if unit is not None:
        qs = qs.filter(center__path__startswith=unit.path)
    return (qs.values(*group).order_by()
            .annotate(total=Sum("n"), met=Coalesce(Sum("n", filter=_met_q(today, months)), 0),
                      overdue=Coalesce(Sum("n", filter=_overdue_q(today, months)), 0)))
