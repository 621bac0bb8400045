"""The log and debrief discipline as metrics (R9, R10 → R33 targets, R34 sheet), set-based and traceable.

* ``logs_on_time`` (按时提交日志天数): the working days of the period (``core.calendar``) with the staff member's
  log submitted by its deadline — the end of the log's own day plus ``worklog.submit_working_days`` working days
  (default 0: the same day). A log submitted later, a draft, or a log of a non-working day does not count.
* ``debriefs_held`` (按日汇报天数): the working days of the period with a debrief recorded (R10).

Each is one query for any number of staff; the records are the logs / debriefs counted.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.calendar import add_working_days, working_days_between
from wealthdesk.core.params import get_param
from wealthdesk.core.registry import MetricRecord

from .models import DailyLog, Debrief
from .selectors import SUBMITTED

SUBMIT_DAYS_PARAM = "worklog.submit_working_days"


def log_deadline(log_date: dt.date) -> dt.date:
    """The last day a log of ``log_date`` counts as on time."""
    return add_working_days(log_date, max(int(get_param(SUBMIT_DAYS_PARAM)), 0))


def _on_time(user_ids, start: dt.date, end: dt.date):
    """The submitted logs of the period's working days submitted by their deadline: one ``Q`` per working day (the
    deadlines are computed here from the calendar), so the database does the comparison in one query."""
    days = working_days_between(start, end)
    if not days:
        return DailyLog.objects.none()
    in_time = Q(pk__in=[])
    for day in days:
        limit = timezone.make_aware(dt.datetime.combine(log_deadline(day) + dt.timedelta(days=1), dt.time.min))
        in_time |= Q(log_date=day, submitted_at__lt=limit)
    return DailyLog.objects.filter(in_time, staff_id__in=list(user_ids), status__in=SUBMITTED)


def logs_on_time_metric(user_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    rows = _on_time(user_ids, start, end).values("staff_id").annotate(n=Count("id")).order_by()
    return {r["staff_id"]: r["n"] for r in rows}


def logs_on_time_records(user_id: int, start: dt.date, end: dt.date) -> list[MetricRecord]:
    return [MetricRecord(log.log_date, _("日志 %(day)s（%(at)s 提交）") % {
        "day": f"{log.log_date:%Y-%m-%d}", "at": f"{timezone.localtime(log.submitted_at):%Y-%m-%d %H:%M}"},
        reverse("worklogs:log", args=[log.pk])) for log in _on_time([user_id], start, end).order_by("log_date", "id")]


def _debriefs(user_ids, start: dt.date, end: dt.date):
    days = working_days_between(start, end)
    return Debrief.objects.filter(staff_id__in=list(user_ids), debrief_date__in=days)


def debriefs_metric(user_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    out: dict[int, int] = {}
    for staff_id in _debriefs(user_ids, start, end).values_list("staff_id", flat=True):
        out[staff_id] = out.get(staff_id, 0) + 1
    return out


def debriefs_records(user_id: int, start: dt.date, end: dt.date) -> list[MetricRecord]:
    return [MetricRecord(d.debrief_date, _("%(day)s %(mode)s汇报") % {"day": f"{d.debrief_date:%Y-%m-%d}",
                                                                     "mode": d.get_mode_display()},
                         reverse("worklogs:debriefs"))
            for d in _debriefs([user_id], start, end).order_by("debrief_date", "id")]
