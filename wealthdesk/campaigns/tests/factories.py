"""Test helpers for campaigns: extra customers of center C1 and a campaign taken through its workflow."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wealthdesk.campaigns import services
from wealthdesk.corebanking.models import DailyBalance
from wealthdesk.corebanking.partitions import ensure_partitions
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer


def add_customers(world, n: int, *, tier=Tier.PREMIUM, aum="500000.00", prefix="T") -> list[Customer]:
    """``n`` more customers of center C1, alternating between cm_c1_1 and cm_c1_2."""
    managers = [world.cm_c1_1, world.cm_c1_2]
    rows = [Customer(cif_no=f"{prefix}{i:09d}", name=f"客户{prefix}{i}", id_number=f"{prefix}ID{i:012d}",
                     center=world.c1, client_manager=managers[i % 2], tier=tier, aum=Decimal(aum),
                     aum_avg=Decimal(aum), birth_date=dt.date(1975, 6, 1), risk_level="C3")
            for i in range(n)]
    return Customer.objects.bulk_create(rows)


def plan(**over) -> dict:
    today = timezone.localdate()
    data = {"scale": "small", "theme": "大额存单到期转理财", "content": "电话邀约到期客户，推介稳健理财。",
            "product_kinds": ["wmp"], "products_note": "", "goal_reached": 10, "goal_conversions": 3,
            "goal_aum": Decimal("1000000.00"), "budget": Decimal("5000.00"), "starts_on": today,
            "ends_on": today + dt.timedelta(days=20), "event_on": None}
    data.update(over)
    return data


def make_campaign(world, *, segment=None, status="draft", **over):
    """A campaign of C1 planned by head_c1, taken to ``status`` through the services."""
    head = world.head_c1
    campaign = services.campaign_create(actor=head, plan=plan(**over), segment=segment or {"name": "C1 全部"})
    steps = ["submitted", "approved", "running", "ended"]
    calls = {"submitted": services.campaign_submit, "approved": services.campaign_approve,
             "running": services.campaign_start, "ended": services.campaign_end}
    for step in steps[:steps.index(status) + 1] if status in steps else []:
        calls[step](actor=head, campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def balance(customer_id: int, day: dt.date, aum) -> DailyBalance:
    """One day-end balance (the month's partition made first on PostgreSQL)."""
    ensure_partitions(day, day)
    return DailyBalance.objects.create(customer_id=customer_id, as_of=day, aum=Decimal(aum))
