"""A hand-computed world for the six analyses (R36): ten customers in center C1 (plus out-of-scope rows that must
not count: a closed customer, a customer of C2, a holding matured before the half-year's end, a holding begun after
it, a transaction of the next half-year). The figures the tests expect are worked out in the comments."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from wealthdesk.analyses.periods import HalfYear, half_of
from wealthdesk.analyses.selectors.base import years_before
from wealthdesk.corebanking.choices import Channel, CounterpartyKind, Direction, ProductKind
from wealthdesk.corebanking.models import DailyBalance, Holding, Product, Transaction
from wealthdesk.corebanking.partitions import ensure_partitions
from wealthdesk.customers.choices import CustomerStatus, IdType, Tier
from wealthdesk.customers.models import Customer, TierHistory
from wealthdesk.voice.choices import SurveyQuestionKind, SurveyStatus
from wealthdesk.voice.models import Survey, SurveyQuestion, SurveyResponse


@dataclass
class Fixture:
    period: HalfYear
    customers: dict[str, Customer] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)


def build(world) -> Fixture:
    prev = half_of(timezone.localdate()).previous()
    fx = Fixture(period=prev)
    end, start = prev.end, prev.start
    cm1, cm2 = world.cm_c1_1, world.cm_c1_2

    def born(age):
        return None if age is None else years_before(end, age) - dt.timedelta(days=10)

    for customer, risk, age in ((world.cust_a, "C4", 46), (world.cust_a2, "C2", 35)):
        customer.risk_level, customer.birth_date = risk, born(age)
        customer.save(update_fields=["risk_level", "birth_date"])
    fx.customers["cust_a"], fx.customers["cust_a2"] = world.cust_a, world.cust_a2
    specs = {  # name: (manager, current tier, risk, age, balance on the half-year's last day)
        "x1": (cm1, Tier.PRIVATE, "C5", 65, "5000000"),
        "x2": (cm2, Tier.ORDINARY, "C2", 36, "100000"),
        "x3": (cm1, Tier.PREMIUM, "C1", 27, "300000"),
        "x4": (cm2, Tier.CORE, "C3", 56, "800000"),
        "x5": (cm2, Tier.PREMIUM, "", None, "600000"),
        "x6": (cm2, Tier.ORDINARY, "C4", 41, "200000"),
        "x7": (cm2, Tier.ORDINARY, "C2", 33, "50000"),
        "x8": (cm2, Tier.ORDINARY, "C3", 29, "50000"),
        "x9": (cm1, Tier.PRIVATE, "C1", 50, "9999999"),  # closed: never counted
    }
    balances = {"cust_a": "1000000", "cust_a2": "400000", "cust_b": "8000000"}
    for i, (name, (cm, tier, risk, age, balance)) in enumerate(specs.items(), start=1):
        fx.customers[name] = Customer.objects.create(
            cif_no=f"AX{i:06d}", name=f"测试客户{name}", id_type=IdType.PASSPORT, id_number=f"E{i:08d}",
            center=world.c1, client_manager=cm, tier=tier, risk_level=risk, birth_date=born(age),
            status=CustomerStatus.CLOSED if name == "x9" else CustomerStatus.ACTIVE)
        balances[name] = balance
    fx.customers["cust_b"] = world.cust_b
    ensure_partitions(start, end)
    for name, balance in balances.items():
        DailyBalance.objects.create(customer=fx.customers[name], as_of=end, aum=Decimal(balance))
        # an earlier day of the half-year: the analysis uses the last one
        DailyBalance.objects.create(customer=fx.customers[name], as_of=end - dt.timedelta(days=5), aum=Decimal("1"))
    _history(fx, start, end)
    _products(fx)
    _holdings(fx, end)
    _transactions(fx, start, end)
    _surveys(fx, world, start, end)
    return fx


def _history(fx, start, end):
    c = fx.customers
    before = start - dt.timedelta(days=100)
    rows = [  # (customer, from, to, on)
        ("cust_a", "", Tier.PREMIUM, before), ("cust_a", Tier.PREMIUM, Tier.CORE, start + dt.timedelta(days=30)),
        ("x1", "", Tier.PRIVATE, before),
        ("x2", "", Tier.PREMIUM, before), ("x2", Tier.PREMIUM, Tier.ORDINARY, start + dt.timedelta(days=60)),
        ("x3", "", Tier.PREMIUM, start + dt.timedelta(days=10)),
        ("x4", "", Tier.CORE, before), ("x4", Tier.CORE, Tier.PREMIUM, start + dt.timedelta(days=50)),
        ("x4", Tier.PREMIUM, Tier.CORE, end + dt.timedelta(days=5)),
        ("x5", "", Tier.PREMIUM, before),
    ]
    TierHistory.objects.bulk_create([TierHistory(customer=c[n], from_tier=f, to_tier=t, changed_on=d)
                                     for n, f, t, d in rows])


def _products(fx):
    for code, kind, risk in [("P_R1", ProductKind.WMP, "R1"), ("P_R2", ProductKind.FUND, "R2"),
                             ("P_R3", ProductKind.WMP, "R3"), ("P_R4", ProductKind.FUND, "R4"),
                             ("P_R5", ProductKind.THIRD_PARTY, "R5"), ("DEP", ProductKind.DEPOSIT_TIME, ""),
                             ("INS", ProductKind.INSURANCE, "R1"), ("MTL", ProductKind.METAL, "R4")]:
        fx.products[code] = Product.objects.create(code=code, name=f"产品{code}", kind=kind, risk_level=risk)


def _holdings(fx, end):
    c, p = fx.customers, fx.products
    begun = end - dt.timedelta(days=90)
    rows = [  # (customer, product, account, amount, start, maturity)
        ("cust_a", "P_R4", "A1", "200000", begun, None),          # C4 ≤ R4: fine
        ("cust_a", "P_R5", "A1", "100000", begun, None),          # C4 < R5: mismatch
        ("cust_a2", "P_R3", "A2", "50000", begun, None),          # C2 < R3: mismatch
        ("cust_a2", "P_R2", "A2", "30000", begun, None),          # fine
        ("cust_a2", "P_R2", "A3", "20000", begun, end),           # same product, second account; matures that day
        ("x1", "P_R5", "X1", "1000000", begun, None),             # C5: fine
        ("x5", "P_R2", "X5", "100000", begun, None),              # unassessed, rated product: mismatch
        ("x5", "DEP", "X5", "200000", begun, None),               # unassessed, deposit: fine
        ("x3", "INS", "X3", "50000", begun, None),                # C1, R1: fine
        ("x3", "P_R4", "X3", "10000", begun, end - dt.timedelta(days=1)),  # matured before the end: not held
        ("x6", "MTL", "X6", "70000", end + dt.timedelta(days=1), None),   # begun after the end: not held
        ("x9", "P_R5", "X9", "500000", begun, None),              # closed customer
        ("cust_b", "P_R5", "B1", "800000", begun, None),          # another center
    ]
    Holding.objects.bulk_create([Holding(customer=c[n], product=p[code], account_no=acct, amount=Decimal(a),
                                         start_date=s, maturity_date=m) for n, code, acct, a, s, m in rows])


def _transactions(fx, start, end):
    tz = timezone.get_current_timezone()
    c = fx.customers

    def at(day, hour=10, minute=0):
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)

    rows = [  # (customer, channel, when, direction, product)
        ("cust_a", Channel.MOBILE, at(start + dt.timedelta(days=9)), Direction.IN, None),
        ("cust_a", Channel.MOBILE, at(start + dt.timedelta(days=10)), Direction.IN, None),
        ("x2", Channel.COUNTER, at(start + dt.timedelta(days=11)), Direction.OUT, None),
        ("cust_a2", Channel.ATM, at(start.replace(month=start.month + 2, day=3)), Direction.OUT, None),
        ("x3", Channel.ONLINE, at(end, 23, 30), Direction.IN, None),
        ("x3", Channel.ONLINE, at(end + dt.timedelta(days=1), 0, 30), Direction.IN, None),  # next half-year
        ("cust_b", Channel.MOBILE, at(start + dt.timedelta(days=40)), Direction.IN, None),  # C2
        ("x9", Channel.MOBILE, at(start + dt.timedelta(days=40)), Direction.IN, None),  # closed
        ("x1", Channel.PHONE, at(start.replace(month=start.month + 3, day=5)), Direction.OUT, "P_R5"),
    ]
    Transaction.objects.bulk_create([
        Transaction(external_id=f"T{i:04d}", customer=c[n], account_no="ACC", occurred_at=when,
                    amount=Decimal("1000"), direction=d, channel=ch, counterparty_kind=CounterpartyKind.OWN_BANK,
                    product=fx.products[p] if p else None)
        for i, (n, ch, when, d, p) in enumerate(rows)])


def _surveys(fx, world, start, end):
    survey = Survey.objects.create(title="客户投资偏好调研", owner_unit=world.hq, status=SurveyStatus.OPEN,
                                   starts_on=start)
    q = SurveyQuestion.objects.create(survey=survey, position=1, kind=SurveyQuestionKind.SINGLE,
                                      text="您最看重投资的哪一点？", options=["收益", "安全", "流动性"])
    SurveyQuestion.objects.create(survey=survey, position=2, kind=SurveyQuestionKind.TEXT, text="其他建议")
    c = fx.customers
    for name, answer, day, center, cm in [
        ("x1", "收益", start + dt.timedelta(days=5), world.c1, world.cm_c1_1),
        ("x3", "安全", start + dt.timedelta(days=6), world.c1, world.cm_c1_1),
        ("cust_a", "安全", end, world.c1, world.cm_c1_1),
        ("cust_b", "收益", start + dt.timedelta(days=6), world.c2, world.users["cm_c2_1"]),  # C2
        ("x4", "流动性", end + dt.timedelta(days=1), world.c1, world.cm_c1_2),  # next half-year
    ]:
        SurveyResponse.objects.create(survey=survey, customer=c[name], center=center, client_manager=cm,
                                      responded_on=day, answers={str(q.pk): answer})
