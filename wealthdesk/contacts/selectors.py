"""Reads of contacts, appointments and the contact policy; each starts from ``visible_to(user)``."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wealthdesk.core.metric_windows import date_window, per_window
from wealthdesk.core.params import get_param
from wealthdesk.core.rollup import rollup_children
from wealthdesk.customers.models import Customer

from . import policy, summaries
from .choices import AppointmentStatus, ContactKind
from .models import Appointment, ContactRecord


def contact_list(user, *, kind: str = "", customer: str = "", staff: str = "", start=None, end=None
                 ) -> QuerySet[ContactRecord]:
    qs = ContactRecord.objects.visible_to(user).select_related("customer", "staff", "customer__center")
    if kind in ContactKind.values:
        qs = qs.filter(kind=kind)
    if str(customer).isdigit():
        qs = qs.filter(customer_id=int(customer))
    if str(staff).isdigit():
        qs = qs.filter(staff_id=int(staff))
    if start:
        qs = qs.filter(contacted_at__gte=policy._start(start))
    if end:
        qs = qs.filter(contacted_at__lt=policy._start(end + dt.timedelta(days=1)))
    return qs.order_by("-contacted_at", "-id")


def customer_timeline(user, customer, limit: int = 20) -> list[ContactRecord]:
    return list(contact_list(user, customer=str(customer.pk))[:limit])


def policy_customers(user, *, manager_id: int | None = None, months: dict | None = None) -> QuerySet[Customer]:
    """Customers in scope under a contact policy, annotated with last contact and policy anchor."""
    qs = Customer.objects.visible_to(user).filter(tier__in=policy.policy_tiers(months))
    if manager_id:
        qs = qs.filter(client_manager_id=manager_id)
    return policy.with_last_contact(qs.select_related("client_manager"))


def overdue_customers(user, today: dt.date, *, manager_id: int | None = None, months: dict | None = None
                      ) -> QuerySet[Customer]:
    """R26: customers whose policy due date has passed, longest-waiting first."""
    months = months or policy.intervals()
    return policy_customers(user, manager_id=manager_id, months=months).filter(
        policy.overdue_q(today, months)).order_by("policy_anchor", "id")


def due_soon_customers(user, today: dt.date, until: dt.date, *, manager_id: int | None = None,
                       months: dict | None = None) -> QuerySet[Customer]:
    """Customers due between today and ``until`` (not yet overdue)."""
    months = months or policy.intervals()
    return policy_customers(user, manager_id=manager_id, months=months).filter(policy.due_by_q(until, months)).exclude(
        policy.overdue_q(today, months)).order_by("policy_anchor", "id")


def week_end(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=6 - day.weekday())


def due_window_end(day: dt.date) -> dt.date:
    """"Due this week" is a rolling window of ``contact.due_soon_days`` (default 7) days from today, so a due date
    on the coming Monday (month ends often fall there) shows up on Friday's workbench."""
    return day + dt.timedelta(days=int(get_param("contact.due_soon_days")) - 1)


def coverage_by_manager(user, today: dt.date, *, unit=None) -> list[dict]:
    """Per client manager (within ``unit``'s subtree when given): customers under policy, how many met it this
    month, overdue count and the coverage against what is due so far — read from the maintained coverage
    summary (``contacts.summaries``), one query whatever the rows.

    Early in the month nobody is late yet: a customer contacted last month is due only at the end of this one. So
    coverage is ``met / (met + overdue)`` — of the customers whose contact has fallen due or already happened, the
    share contacted in time — and ``None`` while nothing is due."""
    rows = summaries.coverage_rows(user, today, unit=unit,
                                   group=("manager_id", "manager__full_name", "manager__username", "center_id"))
    by_manager: dict[int, dict] = {}
    for r in rows:
        entry = by_manager.setdefault(r["manager_id"], {
            "manager_id": r["manager_id"], "name": r["manager__full_name"] or r["manager__username"],
            "total": 0, "met": 0, "overdue": 0, "by_center": {}})
        for key in ("total", "met", "overdue"):
            entry[key] += int(r[key] or 0)
        entry["by_center"][r["center_id"]] = {key: int(r[key] or 0) for key in ("total", "met", "overdue")}
    ordered = sorted(by_manager.values(), key=lambda e: (e["name"], e["manager_id"]))
    return [coverage_shares(entry) for entry in ordered]


def coverage_shares(figures: dict) -> dict:
    """Add ``due`` (met or overdue) and ``share`` (met / due) to summed coverage figures."""
    figures["due"] = figures.get("met", 0) + figures.get("overdue", 0)
    figures["share"] = (figures["met"] / figures["due"]) if figures["due"] else None
    return figures


def coverage_by_unit(user, today: dt.date, unit=None) -> dict:
    """R1: coverage per unit directly below ``unit`` (default: the user's unit), each the sum of its centers'
    figures from the coverage summary (grouped by center: one query, ~one row per center), and the total."""
    unit = unit if unit is not None else (getattr(user, "unit", None) if getattr(user, "unit_id", None) else None)
    per_center = {r["center_id"]: {k: int(r[k] or 0) for k in ("total", "met", "overdue")}
                  for r in summaries.coverage_rows(user, today, group=("center_id",), unit=unit)}
    units = []
    if unit is not None:
        units = [{"unit": r["unit"], **coverage_shares({k: int(r["figures"].get(k, 0)) for k in ("total", "met",
                                                                                                "overdue")})}
                 for r in rollup_children(unit, per_center)]
    total = coverage_shares({key: sum(int(f[key]) for f in per_center.values()) for key in ("total", "met", "overdue")})
    return {"units": units, "total": total}


def appointments_in_week(user, monday: dt.date, *, mine_only: bool = False) -> QuerySet[Appointment]:
    qs = Appointment.objects.visible_to(user).select_related("customer", "staff").filter(
        planned_at__gte=policy._start(monday), planned_at__lt=policy._start(monday + dt.timedelta(days=7)))
    if mine_only:
        qs = qs.filter(staff=user)
    return qs.order_by("planned_at", "id")


def appointments_today(user, today: dt.date) -> QuerySet[Appointment]:
    return Appointment.objects.visible_to(user).select_related("customer").filter(
        staff=user, status=AppointmentStatus.PLANNED, planned_at__gte=policy._start(today),
        planned_at__lt=policy._start(today + dt.timedelta(days=1))).order_by("planned_at")


def birthdays_this_week(user, today: dt.date) -> list[Customer]:
    """The manager's own customers whose birthday (month/day) falls in the current Monday–Sunday week."""
    monday = today - dt.timedelta(days=today.weekday())
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    q = Q(pk__in=[])
    for d in days:
        q |= Q(birth_date__month=d.month, birth_date__day=d.day)
    qs = Customer.objects.visible_to(user).filter(client_manager=user).filter(q).only(
        "id", "name", "tier", "birth_date")
    rows = list(qs)
    order = {(d.month, d.day): i for i, d in enumerate(days)}
    for c in rows:
        c.birthday_this_year = days[order[(c.birth_date.month, c.birth_date.day)]]
    return sorted(rows, key=lambda c: c.birthday_this_year)


def contacts_metric(user_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    """Metric "contacts": contact records made by each staff member in [start, end] (set-based)."""
    rows = (ContactRecord.objects.filter(staff_id__in=list(user_ids), contacted_at__gte=policy._start(start),
                                         contacted_at__lt=policy._start(end + dt.timedelta(days=1)))
            .values("staff_id").annotate(n=Count("id")))
    return {r["staff_id"]: r["n"] for r in rows}


def customers_contacted_metric(user_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    """Metric "customers_contacted": distinct customers each staff member contacted in [start, end]."""
    rows = (ContactRecord.objects.filter(staff_id__in=list(user_ids), contacted_at__gte=policy._start(start),
                                         contacted_at__lt=policy._start(end + dt.timedelta(days=1)))
            .values("staff_id").annotate(n=Count("customer_id", distinct=True)))
    return {r["staff_id"]: r["n"] for r in rows}


contact_window = date_window("contacted_at", datetime=True)


def contacts_windows(user_ids, windows) -> dict:
    """The batch form of "contacts": every period in one grouped query (issue 16)."""
    return per_window(ContactRecord.objects.filter(staff_id__in=list(user_ids)), "staff_id", windows, contact_window,
                      Count("id"))


def customers_contacted_windows(user_ids, windows) -> dict:
    """The batch form of "customers_contacted"."""
    return per_window(ContactRecord.objects.filter(staff_id__in=list(user_ids)), "staff_id", windows, contact_window,
                      Count("customer_id", distinct=True))


def contacts_note(user_id: int, day: dt.date) -> list[str]:
    """Note "contacts": the day's contacts of one staff member, one line each (time, customer, kind, purpose)."""
    rows = (ContactRecord.objects.filter(staff_id=user_id, contacted_at__gte=policy._start(day),
                                         contacted_at__lt=policy._start(day + dt.timedelta(days=1)))
            .select_related("customer").order_by("contacted_at", "id"))
    out = []
    for r in rows:
        parts = [f"{timezone.localtime(r.contacted_at):%H:%M}", r.customer.name, r.get_kind_display()]
        parts += [x for x in (r.purpose, r.response) if x]
        out.append(" ".join(str(p) for p in parts))
    return out


def today() -> dt.date:
    return timezone.localdate()
