"""The head's panel: the rules with overdue items today, each linking to the list behind it."""
from __future__ import annotations

from django.utils import timezone

from . import selectors


def today_panel(request):
    user = request.user
    if not user.unit_id:
        return None
    unit = user.unit  # loaded once with the user's scope (core.scoping)
    m = selectors.monitor(unit, timezone.localdate(), detail=False)
    return {"late": [r for r in m["rows"] if r.measured and r.overdue], "total": m["total"], "unit": unit}
