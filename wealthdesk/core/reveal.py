"""The daily cap on revealing (unmasking) personal data (R28): ``reveal.daily_cap`` reveals per user and day.

Every reveal service calls ``check_reveal_cap(actor=…)`` first. Past the cap the reveal is refused (the pages
answer 429 with a message) and the center head is alerted: there is no notification mechanism in WealthDesk, so
the alert is an audit row (action ``denied``, ``detail.what = "reveal_daily_cap"``) on the user's unit, which the
center head sees in the audit log (filter 拒绝访问) — written in its own transaction, so it stays.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ratelimit
from .audit import audit_record
from .models import AuditAction
from .params import get_param


class RevealCapReached(Exception):
    """Raised past the daily cap; ``str(exc)`` is the message for the user."""


def check_reveal_cap(*, actor, customer_id=None) -> None:
    cap = int(get_param("reveal.daily_cap"))
    today = timezone.localdate().isoformat()
    if ratelimit.hit("reveal", str(actor.pk), limit=cap, window=86400, bucket=today):
        return
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.DENIED, customer_id=customer_id, unit_id=actor.unit_id,
                     detail={"what": "reveal_daily_cap", "cap": cap, "date": today, "alert": "center_head"})
    raise RevealCapReached(_("今天查看明文已达上限（每人每天 %(n)s 次），已通知理财中心负责人。") % {"n": cap})
