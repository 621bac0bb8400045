"""Issue 16: a metric's batch form (``register_metric(windows=...)``, one grouped query for many periods) gives,
period by period, exactly what its per-period ``compute`` gives — for random data and random, overlapping,
running and future periods — and ``metric_values_windows`` falls back to one ``compute`` per period for a metric
without one."""
import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wealthdesk.core import registry
from wealthdesk.core.metric_windows import day_start
from wealthdesk.core.registry import metric_values_windows, metrics
from wealthdesk.core.testing.scale import grow
from wealthdesk.customers.models import Customer

pytestmark = pytest.mark.django_db

# the metrics of the demo targets and of the sheet's deductions must all have their batch form
BATCHED = {"aum_change", "sales_amount", "new_premium_customers", "contacts", "referrals_followed",
           "referrals_made", "referrals_converted", "complaints_received", "complaints_overdue",
           "vip_contacts_missed", "questions_overdue", "customers_contacted", "new_customers", "sales_deposits",
           "sales_wmp", "sales_insurance", "sales_funds"}


def _at(rng, day: dt.date) -> dt.datetime:
    """A random instant of a local day, the edges included (00:00:00 and 23:59:59)."""
    seconds = rng.choice([0, 86399, rng.randrange(86400)])
    return day_start(day) + dt.timedelta(seconds=seconds)


def random_data(world, rng: random.Random, today: dt.date) -> list[int]:
    """Rows of every kind the batched metrics count, on random days of the last ~200 days (and a few ahead)."""
    from wealthdesk.complaints.models import Complaint
    from wealthdesk.contacts.models import ContactRecord
    from wealthdesk.corebanking.models import DailyBalance, Product, Transaction
    from wealthdesk.corebanking.partitions import ensure_partitions
    from wealthdesk.customers.models import TierHistory
    from wealthdesk.referrals.models import Referral
    from wealthdesk.voice.models import NeedsCard, NeedsQuestion

    grow(world, 2, customers_per_manager=4)
    managers = [world.cm_c1_1, world.cm_c1_2, world.cm_c2_1, world.lead_c1]
    front = [world.lobby_c1, world.teller_c1, world.teller2_c1]
    customers = list(Customer.objects.filter(client_manager__in=managers).order_by("id"))
    for c in customers:  # spread the tiers and the entry dates (VIP misses, new customers)
        c.tier = rng.choice(["private", "core", "premium", "ordinary"])
        c.created_at = _at(rng, today - dt.timedelta(days=rng.randrange(0, 220)))
        c.save(update_fields=["tier", "created_at"])

    def day(back=210, ahead=0):
        return today + dt.timedelta(days=rng.randrange(-back, ahead + 1))

    ContactRecord.objects.bulk_create([
        ContactRecord(customer=c, staff=rng.choice(managers), kind="phone", contacted_at=_at(rng, day()))
        for c in customers for _ in range(rng.randrange(0, 4))])
    Referral.objects.bulk_create([
        Referral(referrer=rng.choice(front), referrer_position="lobby_manager", referrer_unit=world.c1,
                 center=world.c1, customer=rng.choice(customers), signal="other", assigned_to=rng.choice(managers),
                 assignment_method="responsible", status=status, referred_on=(d := day()),
                 due_on=d + dt.timedelta(days=3),
                 accepted_at=_at(rng, d + dt.timedelta(days=rng.randrange(0, 3))) if status != "new" else None,
                 contacted_at=_at(rng, d + dt.timedelta(days=rng.randrange(1, 8)))
                 if status in ("contacted", "converted") else None,
                 converted_on=d + dt.timedelta(days=rng.randrange(5, 40)) if status == "converted" else None,
                 invalid_reason="无效" if status == "invalid" else "")
        for status in [rng.choice(["new", "accepted", "contacted", "converted", "invalid"]) for _ in range(60)]])
    complaints = []
    for _ in range(40):
        received = day()
        due = received + dt.timedelta(days=rng.randrange(0, 20))
        closed = rng.random() < 0.5
        complaints.append(Complaint(
            center=world.c1, channel="counter", category="other", customer=rng.choice(customers), content="投诉",
            receiver=rng.choice(front + managers), received_on=received, owner=rng.choice(managers + [world.head_c1]),
            due_on=due, original_due_on=due, status="closed" if closed else "open",
            closed_on=due + dt.timedelta(days=rng.randrange(-5, 6)) if closed else None,
            resolution="已处理" if closed else "", outcome="resolved" if closed else ""))
    Complaint.objects.bulk_create(complaints)
    cards = NeedsCard.objects.bulk_create([
        NeedsCard(customer=c, center=world.c1, client_manager=c.client_manager, card_date=day())
        for c in rng.sample(customers, 8)])
    questions = []
    for card in cards:
        for _ in range(rng.randrange(1, 4)):
            asked = day()
            status = rng.choice(["open", "answered", "told"])
            questions.append(NeedsQuestion(
                card=card, center=world.c1, asked_on=asked, text="问题", route="center_head", target_unit=world.c1,
                due_on=asked + dt.timedelta(days=14), status=status, answer="" if status == "open" else "答复",
                told_on=asked + dt.timedelta(days=rng.randrange(0, 30)) if status == "told" else None))
    NeedsQuestion.objects.bulk_create(questions)
    TierHistory.objects.bulk_create([
        TierHistory(customer=c, from_tier=rng.choice(["", "ordinary", "premium"]),
                    to_tier=rng.choice(["premium", "core", "private", "ordinary"]), changed_on=day())
        for c in customers for _ in range(rng.randrange(0, 3))])
    products = [Product.objects.create(code=f"P{kind}{rng.randrange(10**6)}", name=kind, kind=kind)
                for kind in ("wmp", "fund", "insurance", "deposit_time", "deposit_current")]
    Transaction.objects.bulk_create([
        Transaction(external_id=f"T{i}-{rng.randrange(10**9)}", customer=rng.choice(customers), account_no="6222",
                    occurred_at=_at(rng, day()), amount=Decimal(rng.randrange(1, 10**6)) / 100,
                    direction=rng.choice(["out", "out", "in"]), channel="counter", counterparty_kind="self",
                    product=rng.choice(products + [None]))
        for i in range(150)])
    loaded = sorted({day() for _ in range(12)})  # a few loaded days, with gaps
    ensure_partitions(loaded[0], loaded[-1])  # PostgreSQL: the balances are partitioned by month
    DailyBalance.objects.bulk_create([
        DailyBalance(customer=c, as_of=d, aum=Decimal(rng.randrange(0, 10**8)) / 100)
        for d in loaded for c in customers if rng.random() < 0.8])
    return [u.pk for u in managers + front + [world.head_c1]]


def random_windows(rng: random.Random, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    month = today.replace(day=1)
    windows = {(month, today), (month, month + dt.timedelta(days=40)), (today, today),
               (today + dt.timedelta(days=3), today + dt.timedelta(days=30))}  # running, future
    for _ in range(6):  # random, overlapping
        start = today - dt.timedelta(days=rng.randrange(0, 200))
        windows.add((start, start + dt.timedelta(days=rng.choice([0, 6, 30, 90]))))
    return sorted(windows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_batch_forms_equal_the_per_period_figures(world, seed):
    rng = random.Random(seed)
    today = timezone.localdate()
    ids = random_data(world, rng, today)
    windows = random_windows(rng, today)
    known = metrics()
    assert BATCHED <= {key for key, m in known.items() if m.windows is not None}
    empty = set()
    for key, metric in sorted(known.items()):
        if metric.windows is None:
            continue
        batch = metric.windows(ids, windows)
        for w in windows:
            assert batch.get(w, {}) == metric.compute(ids, *w), (key, w)
        assert metric_values_windows(key, ids, windows) == {w: batch.get(w, {}) for w in windows}, key
        if not any(batch.values()):
            empty.add(key)
    assert not empty & BATCHED, empty  # the data gives every batched metric something to count


def test_a_batch_form_runs_one_grouped_query_for_every_period(world):
    rng = random.Random(5)
    today = timezone.localdate()
    ids = random_data(world, rng, today)
    few, many = random_windows(rng, today)[:1], random_windows(rng, today)
    for key in sorted(BATCHED - {"aum_change", "vip_contacts_missed"}):
        counts = []
        metric_values_windows(key, ids, few)  # parameters cached, as in production
        for windows in (few, many):
            with CaptureQueriesContext(connection) as ctx:
                metric_values_windows(key, ids, windows)
            counts.append(len(ctx.captured_queries))
        assert counts == [1, 1], (key, counts)
    past = [w for w in many if w[1] < today]
    for key in ("aum_change", "vip_contacts_missed"):
        counts = []
        metric_values_windows(key, ids, past[:1])
        for windows in (past[:1], past):
            with CaptureQueriesContext(connection) as ctx:
                metric_values_windows(key, ids, windows)
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1] <= 2, (key, counts)  # aum: the loaded days, then the sums


def test_a_metric_without_a_batch_form_is_asked_once_per_period():
    calls = []

    def compute(user_ids, start, end):
        calls.append((start, end))
        return {uid: (end - start).days + 1 for uid in user_ids}

    registry.register_metric("wd_test_days", "days", compute)
    try:
        d = dt.date(2026, 3, 1)
        windows = [(d, d + dt.timedelta(days=9)), (d, d), (d, d + dt.timedelta(days=9)), (d, d - dt.timedelta(1))]
        got = metric_values_windows("wd_test_days", [7, 8], windows)
        assert got == {(d, d): {7: 1, 8: 1}, (d, d + dt.timedelta(days=9)): {7: 10, 8: 10}}
        assert sorted(calls) == [(d, d), (d, d + dt.timedelta(days=9))]  # each distinct non-empty period once
        assert metric_values_windows("no_such_metric", [7], windows[:1]) == {windows[0]: {}}
        assert metric_values_windows("wd_test_days", [], windows[:1]) == {windows[0]: {}}
    finally:
        registry._METRICS.pop("wd_test_days", None)
