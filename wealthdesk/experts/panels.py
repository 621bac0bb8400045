"""Panels of the experts app: a pool member's work, the coordinator's overdue list, the client manager's open asks."""
from django.utils import timezone

from .choices import ConsultationStatus
from .selectors import consultation_list, my_work, overdue_at_my_level


def mine_panel(request):
    work = my_work(request.user)
    return {"named": work["named"][:5], "open": work["open"][:5], "queue": work["queue"][:5],
            "today": timezone.localdate()}


def overdue_panel(request):
    qs = overdue_at_my_level(request.user)
    rows = list(qs[:8])
    return {"rows": rows, "count": qs.count() if len(rows) == 8 else len(rows), "today": timezone.localdate()}


def asked_panel(request):
    qs = consultation_list(request.user).filter(asked_by=request.user).exclude(status=ConsultationStatus.CLOSED)
    return {"rows": list(qs[:6]), "today": timezone.localdate()}
