"""Targets vs actual in the center's operating report (R33 in R35): each of the center's own targets of the
report's period (a month report reads the month's targets, a quarter report the quarter's), with actual so far
and the share achieved — the same progress the targets pages show."""
from __future__ import annotations

from django.utils.translation import gettext as _g

from .models import Target
from .progress import progress_for


def target_figures(unit, start, end) -> list[dict]:
    targets = list(Target.objects.filter(unit=unit, staff__isnull=True, period_start=start)
                   .select_related("indicator", "unit").order_by("indicator__code"))
    targets = [t for t in targets if t.period_end == end]
    progress = progress_for(targets, today=end)
    out = []
    for t in targets:
        p = progress[t.pk]
        unit_label = "yuan" if t.indicator.unit == "yuan" else ""
        out.append({"key": f"target.{t.indicator.code}", "label": _g("%(name)s：目标 %(target)s，完成 %(percent)s%%")
                    % {"name": t.indicator.name, "target": f"{t.amount:,.0f}", "percent": p.achieved_percent},
                    "value": p.actual, "unit": unit_label})
    return out
