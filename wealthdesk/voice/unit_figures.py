"""The voice app's figures for the roll-up dashboards and the operating report (R1, R20–R22, R35): customers'
questions whose answer was due in the period and those answered (the customer told) in time.
Registered in ``nav.py``."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import UnitFigure

from .choices import QuestionStatus
from .models import NeedsQuestion

GROUP = _("客户需求")

FIGURES = (
    UnitFigure("needs_due", _("到期应答复问题"), GROUP, order=100),
    UnitFigure("needs_in_time", _("按时答复问题"), GROUP, order=101),
    UnitFigure("needs_in_time_rate", _("需求按时答复率"), GROUP, unit="percent", ratio=("needs_in_time", "needs_due"),
               order=102),
)


def needs_figures(ids, start: dt.date, end: dt.date, by: str = "center") -> dict[int, dict[str, int]]:
    field = {"center": "center_id", "staff": "card__client_manager_id"}[by]
    told = Q(status=QuestionStatus.TOLD, told_on__isnull=False, told_on__lte=F("due_on"))
    rows = (NeedsQuestion.objects.filter(**{f"{field}__in": ids}, due_on__gte=start, due_on__lte=end)
            .values(field).annotate(n=Count("id"), ok=Count("id", filter=told)).order_by())
    return {r[field]: {"needs_due": r["n"], "needs_in_time": r["ok"]} for r in rows}
