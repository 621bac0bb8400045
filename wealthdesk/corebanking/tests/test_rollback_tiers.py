"""R8 rollback (refused when later batches depend on it) and R2 tier recomputation after balance loads."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from wealthdesk.corebanking.choices import BatchStatus
from wealthdesk.corebanking.metrics import sales_amount
from wealthdesk.corebanking.models import DailyBalance, Product, Transaction
from wealthdesk.corebanking.services import batch_rollback, tiers_recompute
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer, TierHistory

from .helpers import PRODUCTS, load

pytestmark = pytest.mark.django_db
BAL = ["客户号", "日期", "资产余额"]


def test_rollback_of_a_balance_batch_removes_its_rows(world):
    batch, _ = load("balances", world.hq_service, [BAL, ["C000000001", "2026-11-27", "10"]])
    batch_rollback(actor=world.hq_service, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK and DailyBalance.objects.count() == 0


def test_rollback_is_refused_when_a_later_balance_batch_depends_on_it(world):
    first, _ = load("balances", world.hq_service, [BAL, ["C000000001", "2026-11-26", "10"]])
    second, _ = load("balances", world.hq_service, [BAL, ["C000000001", "2026-11-27", "10"]])
    with pytest.raises(ValidationError) as exc:
        batch_rollback(actor=world.hq_service, batch=first)
    assert f"#{second.pk}" in exc.value.messages[0]
    batch_rollback(actor=world.hq_service, batch=second)
    batch_rollback(actor=world.hq_service, batch=first)


def test_rollback_of_products_is_refused_while_holdings_use_them(world):
    products, _ = load("products", world.hq_service, PRODUCTS)
    holdings, _ = load("holdings", world.hq_service, [["客户号", "产品代码", "账号", "持有金额", "起始日"],
                                                      ["C000000001", "WMP001", "62220001", "5", "2026-11-01"]])
    with pytest.raises(ValidationError) as exc:
        batch_rollback(actor=world.hq_service, batch=products)
    assert f"#{holdings.pk}" in exc.value.messages[0] and "持仓" in exc.value.messages[0]


def test_rollback_of_customers_loaded_by_the_keeper(world):
    batch, _ = load("customers", world.archivist_c1, [["客户号", "姓名", "证件号码", "理财中心代码"],
                                                      ["C200000001", "孙悦", "11010119900307803X", "C1"]])
    batch_rollback(actor=world.archivist_c1, batch=batch)
    assert not Customer.objects.filter(cif_no="C200000001").exists()


def test_a_rolled_back_batch_cannot_be_rolled_back_again(world):
    batch, _ = load("balances", world.hq_service, [BAL, ["C000000001", "2026-11-27", "10"]])
    batch_rollback(actor=world.hq_service, batch=batch)
    with pytest.raises(ValidationError):
        batch_rollback(actor=world.hq_service, batch=batch)


def test_tier_follows_average_exactly_at_threshold(world):
    """R2 edge: an average of exactly 1,000,000.00 is core; 999,999.99 is premium."""
    load("balances", world.hq_service, [BAL, ["C000000002", "2026-11-27", "1000000.00"],
                                        ["C000000001", "2026-11-27", "999999.99"]])
    a, a2 = Customer.objects.get(pk=world.cust_a.pk), Customer.objects.get(pk=world.cust_a2.pk)
    assert a2.tier == Tier.CORE and a.tier == Tier.PREMIUM
    down = TierHistory.objects.get(customer=a)
    assert (down.from_tier, down.to_tier, down.source) == (Tier.CORE, Tier.PREMIUM, "recompute")


def test_tier_recompute_returns_downgrades_and_runs_once(world):
    load("balances", world.hq_service, [BAL, ["C000000001", "2026-11-27", "100"]])
    assert Customer.objects.get(pk=world.cust_a.pk).tier == Tier.ORDINARY
    assert tiers_recompute(as_of=dt.date(2026, 11, 27)) == []  # nothing changes the second time
    assert TierHistory.objects.filter(customer=world.cust_a).count() == 1


def test_average_uses_the_last_n_days_only(world):
    from wealthdesk.core.params import set_param

    set_param("tier.avg_days", 2)
    load("balances", world.hq_service, [BAL, ["C000000001", "2026-11-25", "9000000"],
                                        ["C000000001", "2026-11-26", "100"], ["C000000001", "2026-11-27", "300"]])
    assert Customer.objects.get(pk=world.cust_a.pk).aum_avg == Decimal("200.00")


def test_sales_amount_counts_purchases_of_investment_products(world):
    load("products", world.hq_service, PRODUCTS)
    wmp, dep = Product.objects.get(code="WMP001"), Product.objects.get(code="DEP001")
    at = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)
    common = dict(customer=world.cust_a, account_no="1", occurred_at=at, channel="counter",
                  counterparty_kind="own_bank")
    Transaction.objects.create(external_id="S1", amount=Decimal("50000"), direction="out", product=wmp, **common)
    Transaction.objects.create(external_id="S2", amount=Decimal("700"), direction="out", product=dep, **common)
    Transaction.objects.create(external_id="S3", amount=Decimal("900"), direction="in", product=wmp, **common)
    Transaction.objects.create(external_id="S4", amount=Decimal("800"), direction="out", **common)
    result = sales_amount([world.cm_c1_1.pk, world.cm_c1_2.pk], dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert result == {world.cm_c1_1.pk: 50000.0}
