"""Reads for the daily logs, debriefs, the head's view and the summary (R9–R11); all start from ``visible_to``."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from wealthdesk.core.calendar import working_days_between
from wealthdesk.core.roles import Reach, Role
from wealthdesk.core.rollup import rollup_children
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.staff.models import User

from .choices import HelpStatus, LogStatus
from .models import DailyLog, Debrief, HelpRequest
from .supervision import SUPERVISOR_ROLES, supervised_manager_list, supervised_managers

SUBMITTED = (LogStatus.SUBMITTED, LogStatus.REVIEWED)


def log_list(user, *, status: str = "", staff: str = "", start=None, end=None) -> QuerySet[DailyLog]:
    qs = DailyLog.objects.visible_to(user).select_related("staff", "reviewed_by", "center")
    if status == "unreviewed":
        qs = qs.filter(status=LogStatus.SUBMITTED)
    elif status in LogStatus.values:
        qs = qs.filter(status=status)
    if str(staff).isdigit():
        qs = qs.filter(staff_id=int(staff))
    if start:
        qs = qs.filter(log_date__gte=start)
    if end:
        qs = qs.filter(log_date__lte=end)
    return qs.order_by("-log_date", "staff__full_name", "id")


def unreviewed_logs(user) -> QuerySet[DailyLog]:
    return log_list(user, status="unreviewed").order_by("log_date", "id")


def next_unreviewed_log(user, current: DailyLog) -> DailyLog | None:
    """The log a supervisor should read after ``current``: the oldest submitted, unreviewed one they supervise,
    other than ``current`` (the review page's "next log" link)."""
    return (unreviewed_logs(user).filter(staff__in=supervised_managers(user)).exclude(pk=current.pk)
            .select_related(None).only("id", "log_date", "staff_id").first())


def debrief_list(user, *, start=None, end=None) -> QuerySet[Debrief]:
    qs = Debrief.objects.visible_to(user).select_related("staff", "supervisor")
    if start:
        qs = qs.filter(debrief_date__gte=start)
    if end:
        qs = qs.filter(debrief_date__lte=end)
    return qs.order_by("-debrief_date", "staff__full_name", "id")


def missing_by_day(user, start: dt.date, end: dt.date) -> list[dict]:
    """For each working day in [start, end], newest first: the supervised managers without a submitted log and
    without a debrief (three queries whatever the number of days or managers)."""
    managers = supervised_manager_list(user)
    ids = [m.pk for m in managers]
    logged = set(DailyLog.objects.filter(staff_id__in=ids, log_date__range=(start, end), status__in=SUBMITTED)
                 .values_list("staff_id", "log_date"))
    debriefed = set(Debrief.objects.filter(staff_id__in=ids, debrief_date__range=(start, end))
                    .values_list("staff_id", "debrief_date"))
    days = []
    for day in reversed(working_days_between(start, end)):
        days.append({"date": day,
                     "missing_logs": [m for m in managers if (m.pk, day) not in logged],
                     "missing_debriefs": [m for m in managers if (m.pk, day) not in debriefed]})
    return days


def debrief_board(user, day: dt.date) -> list[dict]:
    """The supervised managers with today's debrief (if any): the head records the missing ones in a click."""
    managers = supervised_manager_list(user)
    done = {d.staff_id: d for d in Debrief.objects.filter(staff__in=managers, debrief_date=day)}
    return [{"manager": m, "debrief": done.get(m.pk)} for m in managers]


def help_requests(user, *, since: dt.date | None = None, status: str = "") -> QuerySet[HelpRequest]:
    qs = HelpRequest.objects.visible_to(user).select_related("staff", "log")
    if since:
        qs = qs.filter(log__log_date__gte=since)
    if status in HelpStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-log__log_date", "-id")


def difficulties(user, start: dt.date, end: dt.date) -> QuerySet[DailyLog]:
    """Submitted logs of the period that raised difficulties, with their help-needed items (2 queries)."""
    return (log_list(user, start=start, end=end).filter(status__in=SUBMITTED).exclude(difficulties="")
            .prefetch_related("help_requests"))


FIGURES = ("logs", "expected", "contacted", "new", "sales", "referrals", "reviewed", "commented")


def due_working_days(start: dt.date, end: dt.date, today: dt.date) -> int:
    """Working days of [start, end] that are due so far: a day of the week still to come is not yet due (R11)."""
    last = min(end, today)
    return len(working_days_between(start, last)) if start <= last else 0


def manager_figures(managers, start: dt.date, end: dt.date, *, today: dt.date) -> list[dict]:
    """Per client manager: logs submitted against the working days due so far, and the log figures (one query).

    The one selector for these figures: the center's rows and every level above it are sums of these."""
    working = due_working_days(start, end, today)
    ids = [m.pk for m in managers]
    rows = (DailyLog.objects.filter(staff_id__in=ids, log_date__range=(start, end), status__in=SUBMITTED)
            .values("staff_id").annotate(logs=Count("id"), contacted=Sum("customers_contacted"),
                                         new=Sum("new_customers"), sales=Sum("sales_amount"),
                                         referrals=Sum("referrals_followed"),
                                         reviewed=Count("id", filter=Q(status=LogStatus.REVIEWED)),
                                         commented=Count("id", filter=~Q(review_comment=""))))
    by_staff = {r["staff_id"]: r for r in rows}
    out = []
    for m in managers:
        r = by_staff.get(m.pk, {})
        out.append({"manager": m, "logs": r.get("logs", 0), "working_days": working, "expected": working,
                    "share": (r.get("logs", 0) / working) if working else None,
                    "contacted": r.get("contacted") or 0, "new": r.get("new") or 0,
                    "sales": r.get("sales") or Decimal("0"), "referrals": r.get("referrals") or 0,
                    "reviewed": r.get("reviewed", 0), "commented": r.get("commented", 0)})
    return out


def _with_shares(figures: dict) -> dict:
    figures["read_share"] = figures["reviewed"] / figures["logs"] if figures["logs"] else None
    figures["comment_share"] = figures["commented"] / figures["logs"] if figures["logs"] else None
    figures["share"] = figures["logs"] / figures["expected"] if figures["expected"] else None
    return figures


def _sum_rows(rows) -> dict:
    out = {k: sum((row[k] for row in rows), Decimal("0") if k == "sales" else 0) for k in FIGURES}
    return _with_shares(out)


def managers_in_subtree(user) -> QuerySet[User]:
    """Active client managers of the centers in the user's subtree (upper levels: sub-branch, branch, head office)."""
    scope = scope_for(user)
    if scope.reach < Reach.SUBTREE or not scope.unit_path:
        return User.objects.none()
    return (User.objects.filter(unit__path__startswith=scope.unit_path, unit__kind=UnitKind.CENTER,
                                is_active=True, role_assignments__role=Role.CLIENT_MANAGER)
            .select_related("unit").distinct().order_by("full_name", "username"))


def summary(user, start: dt.date, end: dt.date, *, today: dt.date | None = None) -> dict:
    """R11 summary for a week or a month.

    A center head or team lead gets a row per supervised manager; a level above the center (R1) gets a row per
    unit directly below it, each the sum of its centers' managers from the same ``manager_figures``."""
    today = today or timezone.localdate()
    working = due_working_days(start, end, today)
    scope = scope_for(user)
    by_unit: list[dict] = []
    if scope.has(*SUPERVISOR_ROLES):
        out = manager_figures(supervised_manager_list(user), start, end, today=today)
    else:
        managers = list(managers_in_subtree(user))
        out = manager_figures(managers, start, end, today=today)
        root = user.unit if scope.unit_id else None
        if root is not None:
            per_center: dict[int, dict[str, float]] = {}
            for row in out:
                figures = per_center.setdefault(row["manager"].unit_id, dict.fromkeys(FIGURES, 0.0))
                for k in FIGURES:
                    figures[k] += float(row[k])
            for entry in rollup_children(root, per_center):
                figures = {k: int(entry["figures"].get(k, 0)) for k in FIGURES if k != "sales"}
                figures["sales"] = Decimal(str(entry["figures"].get("sales", 0))).quantize(Decimal("0.01"))
                by_unit.append({"unit": entry["unit"], **_with_shares(figures)})
    totals = _sum_rows(out)
    return {"rows": out, "by_unit": by_unit, "totals": totals, "working_days": working, "start": start, "end": end}


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    if kind == "month":
        start = day.replace(day=1)
        nxt = (start + dt.timedelta(days=32)).replace(day=1)
        return start, nxt - dt.timedelta(days=1)
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)
