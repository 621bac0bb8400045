"""Access alerts for the security officer (ASVS 16.3.3), found set-based for one day by ``scan(day)``:

* a user who viewed more distinct customers than ``security.alert.customers_per_day`` (default 200) — the audit
  rows that name a customer (detail views, reveals, exports: ``view`` / ``reveal`` / ``export``);
* a user refused a reveal past the daily cap (``core.reveal`` writes a ``denied`` row ``reveal_daily_cap``);
* exports outside working hours — before ``security.work_start_hour``, from ``security.work_end_hour`` on, or on
  a day that is not a working day (``core.calendar``), from the ``export`` rows ``core.exports`` writes;
* a user name with failed sign-ins from at least ``security.alert.failed_login_addresses`` addresses (django-axes'
  attempts and the ``login_failed`` audit rows).

Each alert is stored once per kind, account and day (a later scan updates its count), audited (``create``), and the
security officers above the account's unit are notified. Closing one is audited too. Run by ``manage.py
security_scan`` (cron, e.g. hourly) or the officer's "scan now" button.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import audit_record
from wealthdesk.core.calendar import is_working_day
from wealthdesk.core.concurrency import Conflict, lock
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.notifications import notify
from wealthdesk.core.params import get_param
from wealthdesk.core.roles import Role

from .choices import AlertKind, AlertStatus
from .models import SecurityAlert

User = get_user_model()
CUSTOMER_ACTIONS = [AuditAction.VIEW, AuditAction.REVEAL, AuditAction.EXPORT]


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def _many_customers(day, start, end) -> list[dict]:
    limit = int(get_param("security.alert.customers_per_day"))
    rows = (AuditLog.objects.filter(at__gte=start, at__lt=end, actor__isnull=False, customer_id__isnull=False,
                                    action__in=CUSTOMER_ACTIONS)
            .values("actor_id").annotate(n=Count("customer_id", distinct=True)).filter(n__gt=limit))
    return [{"kind": AlertKind.MANY_CUSTOMERS, "user_id": r["actor_id"], "count": r["n"], "threshold": limit,
             "detail": {}} for r in rows]


def _reveal_cap(day, start, end) -> list[dict]:
    cap = int(get_param("reveal.daily_cap"))
    rows = (AuditLog.objects.filter(at__gte=start, at__lt=end, actor__isnull=False, action=AuditAction.DENIED,
                                    detail__what="reveal_daily_cap")
            .values("actor_id").annotate(n=Count("id")))
    return [{"kind": AlertKind.REVEAL_CAP, "user_id": r["actor_id"], "count": r["n"], "threshold": cap,
             "detail": {"refused_reveals": r["n"]}} for r in rows]


def _off_hours_exports(day, start, end) -> list[dict]:
    first, last = int(get_param("security.work_start_hour")), int(get_param("security.work_end_hour"))
    working = is_working_day(day)
    tz = timezone.get_current_timezone()
    per_user: dict[int, list[str]] = defaultdict(list)
    for actor_id, at in (AuditLog.objects.filter(at__gte=start, at__lt=end, actor__isnull=False,
                                                        action=AuditAction.EXPORT)
                                .values_list("actor_id", "at").order_by("at")):
        local = at.astimezone(tz)
        if not working or not (first <= local.hour < last):
            per_user[actor_id].append(local.strftime("%H:%M"))
    return [{"kind": AlertKind.OFF_HOURS_EXPORT, "user_id": uid, "count": len(times), "threshold": 0,
             "detail": {"times": times[:50], "working_day": working, "hours": f"{first:02d}:00-{last:02d}:00"}}
            for uid, times in per_user.items()]


def _failed_logins(day, start, end) -> list[dict]:
    from axes.models import AccessAttempt

    limit = int(get_param("security.alert.failed_login_addresses"))
    addresses: dict[str, set] = defaultdict(set)
    for name, ip in AccessAttempt.objects.filter(attempt_time__gte=start, attempt_time__lt=end).values_list(
            "username", "ip_address"):
        if name and ip:
            addresses[name].add(ip)
    for name, ip in AuditLog.objects.filter(at__gte=start, at__lt=end, action=AuditAction.LOGIN_FAILED).values_list(
            "actor_name", "ip"):
        if name and ip:
            addresses[name].add(ip)
    return [{"kind": AlertKind.FAILED_LOGINS, "username": name[:150], "count": len(ips), "threshold": limit,
             "detail": {"addresses": sorted(ips)[:50]}} for name, ips in addresses.items() if len(ips) >= limit]


DETECTORS = (_many_customers, _reveal_cap, _off_hours_exports, _failed_logins)


def scan(day: dt.date, *, actor=None) -> list[SecurityAlert]:
    """Find the day's suspicious patterns; returns the alerts raised for the first time."""
    start, end = day_bounds(day)
    found = [f for detector in DETECTORS for f in detector(day, start, end)]
    ids = {f["user_id"] for f in found if f.get("user_id")}
    names = {f["username"] for f in found if f.get("username")}
    users = {u.pk: u for u in User.objects.filter(pk__in=ids).select_related("unit")}
    users_by_name = {u.username: u for u in User.objects.filter(username__in=names).select_related("unit")}
    root = _root_unit()
    raised = []
    for item in found:
        user = users.get(item.get("user_id")) or users_by_name.get(item.get("username", ""))
        username = user.username if user else item["username"]
        alert = _store(actor=actor, kind=item["kind"], user=user, username=username,
                       unit=user.unit if user and user.unit_id else root, day=day, count=item["count"],
                       threshold=item["threshold"], detail=item["detail"])
        if alert is not None:
            raised.append(alert)
    return raised


def _root_unit():
    from wealthdesk.orgs.models import OrgUnit

    return OrgUnit.objects.filter(parent__isnull=True).order_by("id").first()


def _store(*, actor, kind, user, username, unit, day, count, threshold, detail) -> SecurityAlert | None:
    existing = SecurityAlert.objects.filter(kind=kind, username=username, day=day).first()
    if existing is not None:
        if existing.count != count:
            SecurityAlert.objects.filter(pk=existing.pk).update(count=count, detail=detail)
        return None
    try:
        with transaction.atomic():
            alert = SecurityAlert.objects.create(kind=kind, user=user, username=username, unit=unit, day=day,
                                                 count=count, threshold=threshold, detail=detail, created_by=actor)
            audit_record(actor=actor, action=AuditAction.CREATE, obj=alert, unit_id=alert.unit_id,
                         detail={"kind": kind, "user": username, "day": day.isoformat(), "count": count})
            notify(recipients=officers_for(unit), obj=alert, url=f"/security/alerts/{alert.pk}/",
                   text=_("安全告警：%(user)s %(kind)s（%(day)s）") % {"user": username,
                                                                   "kind": alert.get_kind_display(),
                                                                   "day": day.isoformat()})
    except IntegrityError:  # a concurrent scan stored it first
        return None
    return alert


def officers_for(unit) -> list:
    """The active security officers whose unit contains ``unit`` (head office's see everything)."""
    officers = User.objects.with_role(Role.SECURITY_OFFICER).filter(is_active=True).select_related("unit")
    path = getattr(unit, "path", "") or ""
    return [o for o in officers if o.unit_id and path.startswith(o.unit.path)]


def alert_close(*, actor, alert: SecurityAlert, note: str) -> SecurityAlert:
    """The officer closes an alert with what was found (``note`` required). Audited; a closed alert stays closed."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写处理说明（核实情况与处理结果）。")]})
    with transaction.atomic():
        lock(alert)
        if alert.status != AlertStatus.OPEN:
            raise Conflict(_("该告警已由 %(user)s 处理。") % {
                "user": alert.closed_by.username if alert.closed_by else "—"}, field="status")
        alert.status, alert.note, alert.closed_by, alert.closed_at = AlertStatus.CLOSED, note, actor, timezone.now()
        alert.full_clean()
        alert.save()
        audit_record(actor=actor, action=AuditAction.CHANGE, obj=alert, unit_id=alert.unit_id,
                     detail={"what": "security_alert_close", "note": note[:200]})
    return alert
