"""The reply deadline of R32: the ``complaint.decision`` and ``complaint.extended`` deadlines of ``core.deadlines``.

A decision within ``complaint.due_days`` (15) working days from acceptance, extendable once for complex cases to
``complaint.max_extended_days`` (30) working days — the banking complaint rules count their 日 as working days.
"""
from __future__ import annotations

import datetime as dt

from wealthdesk.core.deadlines import due_date as deadline_due


def due_date(received_on: dt.date, days: int | None = None) -> dt.date:
    """``days`` working days (default ``complaint.due_days``) after ``received_on``."""
    return deadline_due("complaint.decision", received_on, days)


def max_extended_due_date(received_on: dt.date) -> dt.date:
    return deadline_due("complaint.extended", received_on)
