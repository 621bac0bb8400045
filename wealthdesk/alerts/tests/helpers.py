"""Test data for the alerts app: transactions and balances written straight to corebanking's tables."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from wealthdesk.corebanking.models import DailyBalance, Transaction

_seq = itertools.count(1)


def txn(customer, day: dt.date, amount, *, direction="out", counterparty="own_bank", channel="mobile",
        hour=10) -> Transaction:
    return Transaction.objects.create(
        external_id=f"T{next(_seq):08d}-{customer.pk}", customer=customer, account_no="6222020200112233445",
        occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0))), amount=Decimal(str(amount)),
        direction=direction, channel=channel, counterparty_kind=counterparty)


def balances(customer, last_day: dt.date, values) -> None:
    """Daily AUM for consecutive days ending at ``last_day`` (oldest first)."""
    from wealthdesk.corebanking.partitions import ensure_partitions

    n = len(values)
    ensure_partitions(last_day - dt.timedelta(days=n - 1), last_day)  # monthly partitions on PostgreSQL
    DailyBalance.objects.bulk_create([
        DailyBalance(customer=customer, as_of=last_day - dt.timedelta(days=n - 1 - i), aum=Decimal(str(v)))
        for i, v in enumerate(values)
    ])


def make_alert(customer, *, kind="single_outflow", amount="600000.00", day=dt.date(2026, 11, 24), due=None,
               status="new"):
    """An alert of the default rule of ``kind`` (get-or-create: AccessMatrix calls url() per user)."""
    from wealthdesk.alerts.models import Alert, AlertRule
    from wealthdesk.alerts.rules import ensure_default_rules

    ensure_default_rules(AlertRule)
    rule = AlertRule.objects.filter(kind=kind).order_by("id").first()
    alert, _ = Alert.objects.get_or_create(
        customer=customer, rule=rule, status=status,
        defaults={"kind": kind, "center_id": customer.center_id, "assigned_to_id": customer.client_manager_id,
                  "as_of": day, "amount": Decimal(amount), "due_date": due or day + dt.timedelta(days=2),
                  "summary": "单笔转出", "close_reason": "other" if status == "closed" else "",
                  "review_state": "pending" if status == "closed" else "",
                  "evidence": [{"type": "transaction", "id": 1, "external_id": "T1", "occurred_at": "2026-11-24 10:00:00",
                                "amount": amount, "direction": "out", "channel": "mobile",
                                "counterparty_kind": "other_bank", "account_no": "6222020200112233445"}]})
    from wealthdesk.alerts.models import AlertMatch

    AlertMatch.objects.get_or_create(alert=alert, rule=rule,
                                     defaults={"kind": kind, "amount": alert.amount, "summary": alert.summary})
    return alert
