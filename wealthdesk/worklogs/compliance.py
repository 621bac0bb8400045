"""The daily-work rules on the compliance monitor: logs submitted (R9), debriefs (R10), logs reviewed (R11)."""
from __future__ import annotations

import datetime as dt
import math

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.compliance import count_by, daily_duty_counts, due_days, empty
from wealthdesk.core.memo import ids_key, memo
from wealthdesk.core.registry import register_compliance
from wealthdesk.core.roles import Role
from wealthdesk.staff.models import User

from .models import DailyLog, Debrief
from .selectors import SUBMITTED

REVIEW_READ_SHARE = 0.8  # SPEC defaults: the head reads at least 80 % of the logs (R11)


def managers_by_center(center_ids: list[int]) -> dict[int, int]:
    """The active client managers per center (R9 and R10 both count them: once per request, ``core.memo``)."""
    return memo(("managers_by_center", ids_key(center_ids)),
                lambda: count_by(User.objects.filter(unit_id__in=center_ids, is_active=True,
                                                     role_assignments__role=Role.CLIENT_MANAGER), "unit_id"))


def logs_submitted(center_ids: list[int], today: dt.date):
    """R9: one submitted log per client manager and working day of the month so far."""
    days = due_days(today)
    if not days:
        return empty(center_ids)
    done = count_by(DailyLog.objects.filter(center_id__in=center_ids, log_date__in=days, status__in=SUBMITTED,
                                            staff__role_assignments__role=Role.CLIENT_MANAGER), "center_id")
    return daily_duty_counts(managers_by_center(center_ids), done, center_ids, len(days))


def debriefs_held(center_ids: list[int], today: dt.date):
    """R10: one debrief per client manager and working day of the month so far."""
    days = due_days(today)
    if not days:
        return empty(center_ids)
    done = count_by(Debrief.objects.filter(center_id__in=center_ids, debrief_date__in=days,
                                           staff__role_assignments__role=Role.CLIENT_MANAGER), "center_id")
    return daily_duty_counts(managers_by_center(center_ids), done, center_ids, len(days))


def logs_reviewed(center_ids: list[int], today: dt.date):
    """R11: of the logs submitted this month (before today), the head has read at least 80 %: due = the logs,
    done = the reviewed ones, overdue = how many more must be read to reach the share."""
    days = due_days(today)
    out = empty(center_ids)
    if not days:
        return out
    rows = (DailyLog.objects.filter(center_id__in=center_ids, log_date__in=days, status__in=SUBMITTED)
            .values("center_id").annotate(due=Count("pk"), done=Count("pk", filter=Q(reviewed_at__isnull=False))))
    for row in rows:
        short = max(0, math.ceil(row["due"] * REVIEW_READ_SHARE) - row["done"])
        out[row["center_id"]] = {"due": row["due"], "done": row["done"], "overdue": short}
    return out


def register() -> None:
    register_compliance("R9", "R9", _("工作日志按日提交"), logs_submitted, period="month", order=9,
                        overdue_url=lambda unit: reverse("worklogs:missing"))
    register_compliance("R10", "R10", _("每日下班前汇报"), debriefs_held, period="month", order=10,
                        overdue_url=lambda unit: reverse("worklogs:missing"))
    register_compliance("R11", "R11", _("负责人批阅日志（至少八成）"), logs_reviewed, period="month", order=11,
                        overdue_url=lambda unit: reverse("worklogs:logs") + "?status=unreviewed")
