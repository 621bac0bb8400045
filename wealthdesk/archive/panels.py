"""Panels: what is out and overdue for the head and the keeper (R29)."""
from django.utils import timezone

from .selectors import custody_counts, paper_file_list


def custody_panel(request):
    today = timezone.localdate()
    counts = custody_counts(request.user, today)
    overdue = list(paper_file_list(request.user, overdue=True, today=today)[:5])
    return {"counts": counts, "overdue": overdue, "today": today}
