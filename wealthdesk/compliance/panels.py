"""The head's panel: the rules with overdue items today, each linking to the list behind it."""
from __future__ import annotations

from django.utils import timezone

from wealthdesk.orgs.models import OrgUnit

from . import selectors


def today_panel(request):
    user = request.user
    if not user.unit_id:
        return None
    unit = OrgUnit.objects.get(pk=user.unit_id)
    m = selectors.monitor(unit, timezone.localdate())
    return {"late": [r for r in m["rows"] if r.measured and r.overdue], "total": m["total"], "unit": unit}
