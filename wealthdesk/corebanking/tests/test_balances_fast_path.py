"""PostgreSQL fast path for balance files (R8): clean files go through COPY and set-based SQL only; any file
the fast path cannot vouch for steps aside to the row-by-row path, so every bad row is still named."""
import pytest
from django.db import connection

from wealthdesk.corebanking.importing import loaders
from wealthdesk.corebanking.models import DailyBalance

from .helpers import csv_bytes, load

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL's")]
HEADER = ["客户号", "日期", "资产余额"]


@pytest.fixture
def row_by_row(monkeypatch):
    """Counts how often the row-by-row path runs."""
    calls = []
    original = loaders._stage_rows

    def spy(*args, **kwargs):
        calls.append(1)
        yield from original(*args, **kwargs)

    monkeypatch.setattr(loaders, "_stage_rows", spy)
    return calls


def test_a_clean_file_never_touches_the_row_by_row_path(world, row_by_row):
    batch, _ = load("balances", world.hq_service, [HEADER, ["C000000001", "2026-11-27", "1500000.00"],
                                                   ["C000000002", "2026-11-27", "400000"]])
    assert batch.status == "loaded" and batch.rows_loaded == 2 and not row_by_row
    assert DailyBalance.objects.get(customer=world.cust_a).aum == 1500000


def test_a_gbk_file_takes_the_fast_path_too(world, row_by_row):
    data = csv_bytes([HEADER, ["C000000001", "2026-11-27", "99.50"]], encoding="gbk")
    batch, _ = load("balances", world.hq_service, data)
    assert batch.status == "loaded" and not row_by_row


@pytest.mark.parametrize("aum, reason", [("1e5", "资产余额"), ("-5.00", "资产余额"), ("1.234", "资产余额")])
def test_an_amount_the_fast_path_cannot_vouch_for_is_named_by_the_row_path(world, row_by_row, aum, reason):
    batch, _ = load("balances", world.hq_service, [HEADER, ["C000000001", "2026-11-27", "10.00"],
                                                   ["C000000002", "2026-11-27", aum]])
    assert batch.status == "rejected" and row_by_row
    assert batch.errors[0]["line"] == 3 and batch.errors[0]["column"] == reason
    assert not DailyBalance.objects.exists()


def test_a_row_with_a_missing_column_is_reported_not_crashed(world, row_by_row):
    data = b"\xe5\xae\xa2\xe6\x88\xb7\xe5\x8f\xb7,\xe6\x97\xa5\xe6\x9c\x9f,\xe8\xb5\x84\xe4\xba\xa7\xe4\xbd\x99\xe9\xa2\x9d\n" \
           b"C000000001,2026-11-27\n"
    batch, _ = load("balances", world.hq_service, data)
    assert batch.status == "rejected" and row_by_row and batch.errors[0]["line"] == 2


def test_an_unknown_customer_is_named_with_its_line_on_the_fast_path(world, row_by_row):
    batch, _ = load("balances", world.hq_service, [HEADER, ["C000000001", "2026-11-27", "10.00"],
                                                   ["C999999999", "2026-11-27", "10.00"]])
    assert batch.status == "rejected" and not row_by_row
    assert batch.errors[0]["line"] == 3 and "C999999999" in batch.errors[0]["reason"]


def test_reloading_the_same_day_inserts_nothing_new(world):
    load("balances", world.hq_service, [HEADER, ["C000000001", "2026-11-27", "10.00"]])
    batch, _ = load("balances", world.hq_service, [HEADER, ["C000000001", "2026-11-27", "10.00"],
                                                   ["C000000002", "2026-11-27", "20.00"]])
    assert batch.rows_loaded == 1 and DailyBalance.objects.count() == 2
