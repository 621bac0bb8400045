"""R16 on the compliance monitor: a referral needing follow-up is contacted within 2 working days."""
from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.compliance import deadline_counts
from wealthdesk.core.registry import register_compliance

from .choices import PENDING_STATUSES
from .models import Referral


def referrals_followed(center_ids: list[int], today: dt.date):
    return deadline_counts(Referral.objects.filter(needs_follow_up=True), center_ids, today,
                           open_q=Q(status__in=PENDING_STATUSES),
                           done_in_time_q=Q(contacted_at__date__lte=F("due_on")))


def register() -> None:
    register_compliance("R16", "R16", _("推介客户两个工作日内跟进"), referrals_followed, period="month", order=16,
                        overdue_url=lambda unit: reverse("referrals:list") + "?overdue=1")
