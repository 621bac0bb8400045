"""The reports up the line on the compliance monitor: monthly (R18) and semiannual (R19) reports of the client
managers, and the center's quarterly needs analysis (R24), monthly complaint statistics (R31) and operating
report (R35) — each counted for its last closed period once the due date has passed."""
from __future__ import annotations

from django.urls import reverse

from wealthdesk.core.compliance import submission_counts
from wealthdesk.core.registry import register_compliance

from .kinds import SPECS

PERIODS = {"month": "month", "quarter": "quarter", "half": "half"}


def register() -> None:
    for spec in SPECS.values():
        key = spec.kind.value
        register_compliance(spec.rule, spec.rule, spec.kind.label,
                            lambda center_ids, today, key=key: submission_counts(key, center_ids, today),
                            period=PERIODS.get(spec.period, spec.period), order=int(spec.rule[1:]),
                            overdue_url=lambda unit: reverse("core:submission-board"))
