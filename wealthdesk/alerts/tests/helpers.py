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
    n = len(values)
    DailyBalance.objects.bulk_create([
        DailyBalance(customer=customer, as_of=last_day - dt.timedelta(days=n - 1 - i), aum=Decimal(str(v)))
        for i, v in enumerate(values)
    ])
