"""The remaining target indicators (R33): sales by kind, new premium customers by tier, log and debrief
discipline (R9, R10), contact coverage as a percentage (R26) and campaign results in AUM (R25) — each against a
hand-counted fixture of last month: exact values, the records behind them, an outsider's rows never counted, the
same number of queries for 1 and 20 staff; a percentage aggregates as sum of met ÷ sum of due, and a target on it
above 100 is refused."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wealthdesk.campaigns.models import Campaign, CampaignMember
from wealthdesk.campaigns.tests.factories import make_campaign
from wealthdesk.contacts.tests.factories import at, make_contact
from wealthdesk.core.audit import audited_update
from wealthdesk.core.calendar import add_working_days, working_days_between
from wealthdesk.core.params import set_param
from wealthdesk.core.registry import metric_parts, metric_records, metric_values, metrics
from wealthdesk.corebanking.models import Product, Transaction
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer, TierHistory
from wealthdesk.targets import services
from wealthdesk.targets.choices import IndicatorUnit, PeriodKind
from wealthdesk.targets.models import Indicator, Target, period_end_of
from wealthdesk.targets.progress import progress_for
from wealthdesk.worklogs.choices import LogStatus
from wealthdesk.worklogs.models import DailyLog, Debrief

from .helpers import last_month

pytestmark = pytest.mark.django_db

NEW_KEYS = ["sales_deposits", "sales_wmp", "sales_insurance", "sales_funds", "new_premium_private",
            "new_premium_core", "new_premium_premium", "logs_on_time", "debriefs_held", "contact_coverage",
            "campaign_aum"]


def month():
    start = last_month()
    return start, period_end_of(PeriodKind.MONTH, start)


def values(key, world, users=("cm_c1_1", "cm_c1_2", "cm_c2_1")):
    start, end = month()
    return metric_values(key, [world.users[u].pk for u in users], start, end)


def records(key, user):
    start, end = month()
    return metric_records(key, user.pk, start, end)


def customer(world, n, tier, cm, created, center=None):
    c = Customer.objects.create(cif_no=f"N{n:08d}", name=f"指标{n}", id_type="other", id_number=f"NX{n}",
                                center=center or world.c1, client_manager=world.users[cm], tier=tier,
                                aum_avg=Decimal("1"))
    audited_update(Customer.objects.filter(pk=c.pk), actor=None, what="test set-up",
                   created_at=at(created, 9))
    return c


def test_every_new_metric_is_registered_with_label_unit_direction_and_records():
    known = metrics()
    for key in NEW_KEYS:
        m = known[key]
        assert str(m.label) and m.records is not None and m.direction == "positive", key
    assert {known[k].unit for k in NEW_KEYS if k.startswith("sales_")} == {"yuan"}
    assert known["campaign_aum"].unit == "yuan" and known["contact_coverage"].unit == "percent"
    assert known["complaints_overdue"].direction == "negative"
    assert known["sales_amount"].label and known["new_premium_customers"].label  # the combined ones stay


def test_sales_split_by_kind(world):
    start, _end = month()
    kinds = {"deposit_time": "DEP", "deposit_current": "CUR", "wmp": "WMP", "insurance": "INS", "fund": "FND"}
    products = {k: Product.objects.create(code=f"T-{code}", name=f"测试{code}", kind=k) for k, code in kinds.items()}
    day = at(start + dt.timedelta(days=9), 11)
    n = 0

    def buy(cust, kind, amount, direction="out", when=day):
        nonlocal n
        n += 1
        Transaction.objects.create(external_id=f"T{n}", customer=cust, account_no="1", occurred_at=when,
                                   amount=Decimal(amount), direction=direction, channel="counter",
                                   counterparty_kind="own_bank", product=products[kind])

    buy(world.cust_a, "deposit_time", "100000")
    buy(world.cust_a, "deposit_current", "5000")  # a current account is not sold
    buy(world.cust_a, "wmp", "50000")
    buy(world.cust_a, "wmp", "20000", direction="in")  # a redemption is no sale
    buy(world.cust_a, "insurance", "30000")
    buy(world.cust_a, "fund", "10000")
    buy(world.cust_a, "fund", "7000", when=at(start - dt.timedelta(days=1)))  # before the month
    buy(world.cust_a2, "wmp", "8000")
    buy(world.cust_b, "fund", "99999")  # the outsider's customer
    cm1, cm2 = world.cm_c1_1.pk, world.cm_c1_2.pk
    mine = ("cm_c1_1", "cm_c1_2")
    assert values("sales_deposits", world, mine) == {cm1: 100000.0}
    assert values("sales_wmp", world, mine) == {cm1: 50000.0, cm2: 8000.0}
    assert values("sales_insurance", world, mine) == {cm1: 30000.0}
    assert values("sales_funds", world, mine) == {cm1: 10000.0}
    assert values("sales_amount", world, mine) == {cm1: 90000.0, cm2: 8000.0}, "the combined figure is unchanged"
    assert [r.value for r in records("sales_funds", world.cm_c1_1)] == [10000.0]
    assert "测试FND" in records("sales_funds", world.cm_c1_1)[0].label
    assert "张伟" not in records("sales_funds", world.cm_c1_1)[0].label, "masked"


def test_new_premium_customers_by_tier_add_up_to_the_whole(world):
    start, _end = month()
    x = customer(world, 1, Tier.CORE, "cm_c1_1", start - dt.timedelta(days=90))
    y = customer(world, 2, Tier.PRIVATE, "cm_c1_1", start - dt.timedelta(days=90))
    z = customer(world, 3, Tier.PRIVATE, "cm_c1_1", start - dt.timedelta(days=90))
    w = customer(world, 4, Tier.PREMIUM, "cm_c2_1", start - dt.timedelta(days=90), center=world.c2)
    TierHistory.objects.bulk_create([
        TierHistory(customer=x, from_tier=Tier.ORDINARY, to_tier=Tier.PREMIUM, changed_on=start + dt.timedelta(days=2)),
        TierHistory(customer=x, from_tier=Tier.PREMIUM, to_tier=Tier.CORE, changed_on=start + dt.timedelta(days=9)),
        TierHistory(customer=y, from_tier="", to_tier=Tier.PRIVATE, changed_on=start + dt.timedelta(days=4)),
        TierHistory(customer=z, from_tier=Tier.CORE, to_tier=Tier.PRIVATE, changed_on=start + dt.timedelta(days=4)),
        TierHistory(customer=w, from_tier=Tier.ORDINARY, to_tier=Tier.PREMIUM, changed_on=start + dt.timedelta(days=4)),
    ])
    cm1 = world.cm_c1_1.pk
    mine = ("cm_c1_1", "cm_c1_2")
    assert values("new_premium_premium", world, mine) == {cm1: 1}, "x counted once, at its first rise"
    assert values("new_premium_private", world, mine) == {cm1: 1}, "z was already premium"
    assert values("new_premium_core", world, mine) == {}
    assert values("new_premium_customers", world, mine) == {cm1: 2}
    assert [r.url for r in records("new_premium_private", world.cm_c1_1)] == [f"/customers/{y.pk}/"]
    assert values("new_premium_premium", world, ("cm_c2_1",)) == {world.cm_c2_1.pk: 1}


def test_logs_on_time_and_debriefs_count_working_days(world):
    start, end = month()
    d1, d2, d3, d4 = working_days_between(start, end)[:4]
    off = next(start + dt.timedelta(days=i) for i in range(10)
               if (start + dt.timedelta(days=i)) not in working_days_between(start, end))

    def log(user, day, submitted_on, status=LogStatus.SUBMITTED):
        return DailyLog.objects.create(staff=user, center=user.unit, log_date=day, status=status,
                                       submitted_at=at(submitted_on, 19) if submitted_on else None)

    on_time = log(world.cm_c1_1, d1, d1)
    log(world.cm_c1_1, d2, add_working_days(d2, 1))  # a day late
    log(world.cm_c1_1, d3, None, status=LogStatus.DRAFT)
    log(world.cm_c1_1, off, off)  # not a working day: nothing due
    log(world.cm_c1_1, d4, d4, status=LogStatus.REVIEWED)
    log(world.cm_c2_1, d1, d1)
    cm1 = world.cm_c1_1.pk
    assert values("logs_on_time", world, ("cm_c1_1", "cm_c1_2")) == {cm1: 2}
    assert [r.url for r in records("logs_on_time", world.cm_c1_1)][0] == f"/worklogs/logs/{on_time.pk}/"
    set_param("worklog.submit_working_days", 1)
    assert values("logs_on_time", world, ("cm_c1_1",)) == {cm1: 3}, "a day's grace"

    for day in (d1, d2, off):
        Debrief.objects.create(staff=world.cm_c1_1, supervisor=world.head_c1, center=world.c1, debrief_date=day)
    Debrief.objects.create(staff=world.cm_c2_1, supervisor=world.head_c2, center=world.c2, debrief_date=d1)
    assert values("debriefs_held", world, ("cm_c1_1", "cm_c1_2")) == {cm1: 2}
    assert len(records("debriefs_held", world.cm_c1_1)) == 2


def coverage_fixture(world):
    """cm_c1_1: two customers contacted in the month, one last contacted the month before (overdue), one ordinary
    (no policy); cm_c1_2: one never contacted; cm_c2_1 (outsider): one contacted."""
    start, end = month()
    old = start - dt.timedelta(days=95)
    met1 = customer(world, 11, Tier.PREMIUM, "cm_c1_1", old)
    met2 = customer(world, 12, Tier.CORE, "cm_c1_1", old)
    late = customer(world, 13, Tier.PRIVATE, "cm_c1_1", old)
    customer(world, 14, Tier.ORDINARY, "cm_c1_1", old)
    never = customer(world, 15, Tier.PREMIUM, "cm_c1_2", old)
    theirs = customer(world, 16, Tier.PREMIUM, "cm_c2_1", old, center=world.c2)
    make_contact(met1, world.cm_c1_1, start + dt.timedelta(days=3))
    make_contact(met2, world.cm_c1_1, end)
    make_contact(late, world.cm_c1_1, start - dt.timedelta(days=10))
    make_contact(late, world.cm_c1_1, end + dt.timedelta(days=1))  # after the month: does not count for it
    make_contact(theirs, world.cm_c2_1, start + dt.timedelta(days=3))
    return {"met": {met1.pk, met2.pk}, "late": late, "never": never}


def test_contact_coverage_is_met_over_due_per_manager_and_summed_for_a_unit(world):
    fx = coverage_fixture(world)
    start, end = month()
    cm1, cm2, cm3 = world.cm_c1_1.pk, world.cm_c1_2.pk, world.cm_c2_1.pk
    assert values("contact_coverage", world) == {cm1: 66.7, cm2: 0.0, cm3: 100.0}
    assert metric_parts("contact_coverage", [cm1, cm2], start, end) == {cm1: (2, 3), cm2: (0, 1)}
    rows = records("contact_coverage", world.cm_c1_1)
    assert len(rows) == 3 and sum(r.value for r in rows) == 2
    assert {r.url for r in rows if r.value} == {f"/customers/{pk}/" for pk in fx["met"]}
    assert metric_parts("contacts", [cm1], start, end) is None, "a count adds up"

    ind = Indicator.objects.create(code="coverage", name="联系覆盖率", metric_key="contact_coverage",
                                   unit=IndicatorUnit.PERCENT, default_weight=100)
    [target] = services.target_plan_set(actor=world.head_c1, unit=world.c1, period_kind=PeriodKind.MONTH,
                                        period_start=start, rows=[{"indicator": ind, "amount": "80", "weight": 100}])
    p = progress_for([Target.objects.select_related("indicator", "unit").get(pk=target.pk)])[target.pk]
    # the center: (2 + 0) met of (3 + 1) due = 50 %, not the mean of 66.7 % and 0 %; the outsider not counted
    assert (p.actual, p.expected, p.gap, p.forecast, p.behind) == (50.0, 80.0, -30.0, 50.0, True)

    parts = services.target_split(actor=world.head_c1, target=target,
                                  parts={cm1: "90", cm2: "70", world.lead_c1.pk: "80"})
    assert sorted(float(t.amount) for t in parts) == [70.0, 80.0, 90.0], "a rate is not divided"


def test_a_target_on_a_percentage_above_100_is_refused_and_nothing_changes(world):
    start, _end = month()
    ind = Indicator.objects.create(code="coverage", name="联系覆盖率", metric_key="contact_coverage",
                                   unit=IndicatorUnit.PERCENT, default_weight=100)
    with pytest.raises(ValidationError) as exc:
        services.target_plan_set(actor=world.head_c1, unit=world.c1, period_kind=PeriodKind.MONTH,
                                 period_start=start, rows=[{"indicator": ind, "amount": "120", "weight": 100}])
    assert "百分比指标，目标值不能超过 100" in str(exc.value.message_dict["amount_coverage"])
    assert not Target.objects.exists()
    [target] = services.target_plan_set(actor=world.head_c1, unit=world.c1, period_kind=PeriodKind.MONTH,
                                        period_start=start, rows=[{"indicator": ind, "amount": "95", "weight": 100}])
    with pytest.raises(ValidationError) as exc:
        services.target_split(actor=world.head_c1, target=target, parts={world.cm_c1_1.pk: "101"})
    assert "不能超过 100" in str(exc.value)
    assert not Target.objects.filter(parent=target).exists()
    with pytest.raises(ValidationError) as exc:
        services.indicator_save(actor=world.hq_service, data={
            "code": "cov2", "name": "覆盖率", "metric_key": "contact_coverage", "unit": IndicatorUnit.COUNT,
            "default_weight": 10})
    assert "unit" in exc.value.message_dict
    assert not Indicator.objects.filter(code="cov2").exists()


def test_campaign_aum_sums_the_converted_members(world):
    start, _end = month()
    campaign = make_campaign(world, status="running")
    members = CampaignMember.objects.filter(campaign=campaign)
    audited_update(members, actor=None, what="test set-up", is_holdout=False, converted=True, aum_gain=0)
    audited_update(members.filter(customer=world.cust_a), actor=None, what="test", aum_gain=Decimal("300000"))
    audited_update(members.filter(customer=world.cust_a2), actor=None, what="test", aum_gain=Decimal("120000"),
                   converted=False)
    audited_update(Campaign.objects.filter(pk=campaign.pk), actor=None, what="test",
                   feedback_at=at(start + dt.timedelta(days=20), 16))
    cm1 = world.cm_c1_1.pk
    got = values("campaign_aum", world)
    assert got.get(cm1) == 300000.0 and world.cm_c1_2.pk not in {k for k, v in got.items() if v}
    assert [r.value for r in records("campaign_aum", world.cm_c1_1) if r.value] == [300000.0]
    assert values("campaign_conversions", world, ("cm_c1_1",)).get(cm1) == \
        members.filter(client_manager=world.cm_c1_1, converted=True).count()


@pytest.mark.parametrize("key", NEW_KEYS)
def test_each_new_metric_is_set_based(world, key):
    start, end = month()
    ids = [u.pk for u in world.users.values()]
    ids = (ids + list(range(90000, 90000 + 20)))[:20]
    metric_values(key, ids, start, end)  # warm the calendar and parameter caches
    with CaptureQueriesContext(connection) as one:
        metric_values(key, ids[:1], start, end)
    with CaptureQueriesContext(connection) as twenty:
        metric_values(key, ids, start, end)
    assert len(one) == len(twenty), key
    assert len(twenty) <= 3, key


def test_today_reads_a_running_month(world):
    """A month still running is read today: a customer contacted last month is not yet late."""
    today = timezone.localdate()
    c = customer(world, 21, Tier.PREMIUM, "cm_c1_1", today - dt.timedelta(days=120))
    make_contact(c, world.cm_c1_1, today.replace(day=1) - dt.timedelta(days=3))
    got = metric_parts("contact_coverage", [world.cm_c1_1.pk], today.replace(day=1), today + dt.timedelta(days=40))
    assert got == {}, "nothing due yet"
