"""Dashboard panels: the head's "who is behind this month" (R33) and a client manager's own month (R33, R34)."""
from __future__ import annotations

from django.utils import timezone

from . import scoring, selectors
from .models import Target
from .progress import progress_for


def behind_panel(request):
    rows = selectors.behind(request.user)
    return {"rows": rows[:10], "count": len(rows)}


def mine_panel(request):
    user, today = request.user, timezone.localdate()
    month = today.replace(day=1)
    targets = list(Target.objects.visible_to(user).filter(staff=user, period_kind="month", period_start=month)
                   .select_related("indicator", "unit"))
    if not targets:
        return None
    progress = progress_for(targets, today)
    user.wd_group = ""
    # the month so far, as the progress lines: each metric is computed once for both (core.memo)
    # (the targets just listed are the ones scored: a client manager sees exactly their own — no second query)
    score = scoring.score_staff([user], month, until=today, targets=targets)[0]
    return {"rows": [(t, progress[t.pk]) for t in targets], "score": score}
