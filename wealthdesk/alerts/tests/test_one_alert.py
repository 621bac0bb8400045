"""R6: one customer's movements on one day are ONE alert with every matched rule as evidence; statistics still
count by rule."""
import datetime as dt
from decimal import Decimal

import pytest

from wealthdesk.alerts import selectors
from wealthdesk.alerts.choices import AlertKind
from wealthdesk.alerts.models import Alert, AlertMatch
from wealthdesk.alerts.services import alert_close, alerts_scan

from .helpers import balances, txn

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 24)


@pytest.fixture
def big_outflow(world):
    """cust_a (core) sends 900,000 to another bank: single outflow (≥ 500,000), other bank (≥ 500,000) and, with
    the balance falling from 1,500,000 to 600,000 in five days, cumulative net outflow (60 %)."""
    balances(world.cust_a, DAY, [1500000, 1500000, 1500000, 1500000, 600000])
    txn(world.cust_a, DAY, "900000.00", counterparty="other_bank")
    return world


def test_one_large_outflow_opens_one_alert_with_all_three_rules(big_outflow):
    counts = alerts_scan(as_of=DAY)
    assert counts == {"single_outflow": 1, "cumulative_outflow": 1, "other_bank": 1}  # counted by rule
    alert = Alert.objects.get()
    assert set(alert.matches.values_list("kind", flat=True)) == {
        AlertKind.SINGLE_OUTFLOW, AlertKind.CUMULATIVE_OUTFLOW, AlertKind.OTHER_BANK}
    assert alert.amount == Decimal("900000.00")
    types = [e["type"] for e in alert.evidence]
    assert types.count("transaction") == 1 and "balance" in types  # the shared transaction is listed once


def test_scanning_again_opens_nothing_new(big_outflow):
    alerts_scan(as_of=DAY)
    assert alerts_scan(as_of=DAY) == {"single_outflow": 0, "cumulative_outflow": 0, "other_bank": 0}
    assert Alert.objects.count() == 1 and AlertMatch.objects.count() == 3


def test_a_later_load_the_same_day_adds_its_rule_to_the_same_alert(world):
    txn(world.cust_a, DAY, "600000.00")  # single outflow only
    alerts_scan(as_of=DAY)
    txn(world.cust_a, DAY, "550000.00", counterparty="other_bank")
    alerts_scan(as_of=DAY)
    alert = Alert.objects.get()
    assert set(alert.matches.values_list("kind", flat=True)) == {AlertKind.SINGLE_OUTFLOW, AlertKind.OTHER_BANK}
    assert len([e for e in alert.evidence if e["type"] == "transaction"]) == 2


def test_closing_the_alert_lets_the_next_days_movement_alert_again(big_outflow):
    alerts_scan(as_of=DAY)
    alert = Alert.objects.get()
    alert_close(actor=big_outflow.cm_c1_1, alert=alert, reason="large_purchase", measures="已电话确认客户购房付款")
    txn(big_outflow.cust_a, DAY + dt.timedelta(days=1), "700000.00")
    alerts_scan(as_of=DAY + dt.timedelta(days=1))
    assert Alert.objects.count() == 2


def test_statistics_and_the_kind_filter_count_by_rule(big_outflow):
    txn(big_outflow.cust_a2, DAY, "300000.00")  # premium: single outflow only
    alerts_scan(as_of=DAY)
    assert Alert.objects.count() == 2
    by_rule = selectors.counts_by_rule(big_outflow.head_c1)
    assert by_rule[AlertKind.SINGLE_OUTFLOW] == 2 and by_rule[AlertKind.OTHER_BANK] == 1
    assert by_rule[AlertKind.CUMULATIVE_OUTFLOW] == 1
    other_bank = selectors.alert_list(big_outflow.head_c1, kind=AlertKind.OTHER_BANK)
    assert [a.customer_id for a in other_bank] == [big_outflow.cust_a.pk]
    assert selectors.alert_list(big_outflow.head_c1, kind=AlertKind.SINGLE_OUTFLOW).count() == 2


def test_the_alert_page_shows_every_matched_rule(big_outflow, login_as):
    alerts_scan(as_of=DAY)
    alert = Alert.objects.get()
    html = login_as("head_c1").get(f"/alerts/{alert.pk}/").content.decode()
    block = html.split('data-testid="matched-rules"', 1)[1].split("</dd>", 1)[0]
    for kind in ("single_outflow", "cumulative_outflow", "other_bank"):
        assert f'data-kind="{kind}"' in block
    list_html = login_as("head_c1").get("/alerts/").content.decode()
    assert 'data-testid="count-by-rule"' in list_html


def test_the_api_lists_every_matched_rule(big_outflow, api_client):
    alerts_scan(as_of=DAY)
    alert = Alert.objects.get()
    api_client.force_authenticate(big_outflow.head_c1)
    data = api_client.get(f"/api/v1/alerts/{alert.pk}/").json()
    assert {m["kind"] for m in data["matches"]} == {"single_outflow", "cumulative_outflow", "other_bank"}
