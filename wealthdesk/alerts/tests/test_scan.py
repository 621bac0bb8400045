"""The daily scan (R6): rule edges, one open alert per customer and rule, evidence, assignment and due date;
tier-downgrade alerts (R7)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from wealthdesk.alerts.choices import AlertKind, AlertStatus
from wealthdesk.alerts.models import Alert, AlertRule
from wealthdesk.alerts.services import alert_close, alerts_open_for_downgrades, alerts_scan
from wealthdesk.core.calendar import seed_calendar
from wealthdesk.core.models import AuditLog
from wealthdesk.customers.choices import Tier, TierChangeSource
from wealthdesk.customers.models import TierHistory

from .helpers import balances, txn

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 24)  # a Tuesday


def test_single_outflow_exactly_at_the_core_threshold_opens_an_alert(world):
    txn(world.cust_a, DAY, "500000.00")  # cust_a is core: threshold 500,000
    counts = alerts_scan(as_of=DAY)
    assert counts["single_outflow"] == 1
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.SINGLE_OUTFLOW and alert.amount == Decimal("500000.00")
    assert alert.assigned_to == world.cm_c1_1 and alert.center == world.c1
    assert alert.status == AlertStatus.NEW
    assert alert.evidence[0]["type"] == "transaction" and alert.evidence[0]["amount"] == "500000.00"


def test_single_outflow_just_below_the_threshold_opens_nothing(world):
    txn(world.cust_a, DAY, "499999.99")
    txn(world.cust_a, DAY, "900000.00", direction="in")  # inflows never trigger
    assert alerts_scan(as_of=DAY)["single_outflow"] == 0
    assert not Alert.objects.exists()


def test_threshold_follows_the_customers_tier(world):
    txn(world.cust_a2, DAY, "200000.00")  # premium: 200,000
    txn(world.cust_b, DAY, "999999.99")  # private: 1,000,000
    alerts_scan(as_of=DAY)
    assert list(Alert.objects.values_list("customer_id", flat=True)) == [world.cust_a2.pk]


def test_transactions_of_another_day_are_not_scanned(world):
    txn(world.cust_a, DAY - dt.timedelta(days=1), "800000.00", hour=23)
    txn(world.cust_a, DAY + dt.timedelta(days=1), "800000.00", hour=0)
    assert alerts_scan(as_of=DAY)["single_outflow"] == 0


def test_an_open_alert_blocks_a_second_one_for_the_same_rule(world):
    txn(world.cust_a, DAY, "600000.00")
    txn(world.cust_a, DAY, "700000.00")
    assert alerts_scan(as_of=DAY)["single_outflow"] == 1
    alert = Alert.objects.get()
    assert alert.amount == Decimal("700000.00") and len(alert.evidence) == 2
    txn(world.cust_a, DAY + dt.timedelta(days=1), "650000.00")
    assert alerts_scan(as_of=DAY + dt.timedelta(days=1))["single_outflow"] == 0
    alert_close(actor=world.cm_c1_1, alert=alert, reason="maturity", measures="已联系客户，理财到期后转存")
    assert alerts_scan(as_of=DAY + dt.timedelta(days=1))["single_outflow"] == 1


def test_rescanning_the_same_day_changes_nothing(world):
    txn(world.cust_a, DAY, "600000.00")
    alerts_scan(as_of=DAY)
    assert alerts_scan(as_of=DAY) == {"single_outflow": 0, "cumulative_outflow": 0, "other_bank": 0}
    assert Alert.objects.count() == 1


def test_transfer_to_another_bank_at_the_threshold(world):
    txn(world.cust_a2, DAY, "500000.00", counterparty="other_bank")
    txn(world.cust_a, DAY, "499999.99", counterparty="other_bank")
    counts = alerts_scan(as_of=DAY)
    assert counts["other_bank"] == 1
    # the premium customer's 500,000 also matches the single-outflow rule: one alert with both rules (R6)
    alert = Alert.objects.get(matches__kind=AlertKind.OTHER_BANK)
    assert alert.customer == world.cust_a2 and alert.matches.count() == 2


def test_cumulative_net_outflow_exactly_at_the_share_opens_an_alert(world):
    # highest of the 5 previous days 1,000,000; today 700,000: fell by 30% exactly
    balances(world.cust_a, DAY, [900000, 1000000, 950000, 800000, 750000, 700000])
    assert alerts_scan(as_of=DAY)["cumulative_outflow"] == 1
    alert = Alert.objects.get()
    assert alert.amount == Decimal("300000.00")
    assert [p["as_of"] for p in alert.evidence][-1] == "2026-11-24"
    assert {p["type"] for p in alert.evidence} == {"balance"}


def test_cumulative_net_outflow_just_below_the_share_opens_nothing(world):
    balances(world.cust_a, DAY, [1000000, 1000000, 1000000, 1000000, 1000000, 700000.01])
    assert alerts_scan(as_of=DAY)["cumulative_outflow"] == 0


def test_cumulative_rule_ignores_balances_older_than_the_window(world):
    balances(world.cust_a, DAY, [5000000, 700000, 700000, 700000, 700000, 700000, 700000])
    assert alerts_scan(as_of=DAY)["cumulative_outflow"] == 0


def test_cumulative_rule_needs_the_minimum_amount_too(world):
    balances(world.cust_a, DAY, [200000, 100000.01])  # 50% but only 99,999.99 yuan
    assert alerts_scan(as_of=DAY)["cumulative_outflow"] == 0


def test_inactive_rules_are_skipped(world):
    AlertRule.objects.filter(kind=AlertKind.SINGLE_OUTFLOW).update(is_active=False)
    txn(world.cust_a, DAY, "600000.00")
    assert alerts_scan(as_of=DAY)["single_outflow"] == 0


def test_edited_threshold_is_used_by_the_next_scan(world):
    AlertRule.objects.filter(code="single-outflow-core").update(min_amount=Decimal("100000"))
    txn(world.cust_a, DAY, "150000.00")
    assert alerts_scan(as_of=DAY)["single_outflow"] == 1


def test_due_date_counts_working_days_across_a_holiday(world):
    seed_calendar()
    day = dt.date(2026, 9, 30)  # Wednesday before the National Day holiday (10-01 … 10-07)
    txn(world.cust_a, day, "600000.00")
    alerts_scan(as_of=day)
    assert Alert.objects.get().due_date == dt.date(2026, 10, 9)


def test_scan_command_runs_for_a_date_and_is_audited(world):
    txn(world.cust_a, DAY, "600000.00")
    call_command("scan_alerts", "--date", "2026-11-24")
    assert Alert.objects.count() == 1
    assert AuditLog.objects.filter(source="command:scan_alerts").exists()


def test_scan_command_rejects_a_malformed_date(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式"):
        call_command("scan_alerts", "--date", "2026-13-01")


def test_downgrade_history_rows_open_one_alert_each(world):
    down = TierHistory.objects.create(customer=world.cust_a, from_tier=Tier.CORE, to_tier=Tier.PREMIUM,
                                      changed_on=DAY, aum_avg=Decimal("900000"), source=TierChangeSource.RECOMPUTE)
    up = TierHistory.objects.create(customer=world.cust_a2, from_tier=Tier.PREMIUM, to_tier=Tier.CORE,
                                    changed_on=DAY, source=TierChangeSource.RECOMPUTE)
    assert alerts_open_for_downgrades(history_ids=[down.pk, up.pk]) == 1
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.TIER_DOWNGRADE and alert.customer == world.cust_a
    assert alert.evidence[0]["from_tier"] == "core" and alert.evidence[0]["to_tier"] == "premium"
    again = TierHistory.objects.create(customer=world.cust_a, from_tier=Tier.PREMIUM, to_tier=Tier.ORDINARY,
                                       changed_on=DAY, source=TierChangeSource.RECOMPUTE)
    assert alerts_open_for_downgrades(history_ids=[again.pk]) == 0  # one is already open
