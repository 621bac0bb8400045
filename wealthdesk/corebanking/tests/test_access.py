"""Permission matrix (DESIGN rule 9) for every import page and core-banking API endpoint (R8, R29)."""
import datetime as dt
from decimal import Decimal

import pytest

from wealthdesk.core.testing.permissions import AccessMatrix
from wealthdesk.corebanking.models import Holding, ImportBatch, Product, Transaction

from .helpers import PRODUCTS, load

pytestmark = pytest.mark.django_db


def c1_batch(world):
    """A customers batch loaded by the archive keeper of C1."""
    batch, _ = load("customers", world.archivist_c1, [["客户号", "姓名", "证件号码", "理财中心代码"],
                                                      ["C200000001", "孙悦", "11010119900307803X", "C1"]])
    return batch


def holding(world, customer):
    product = Product.objects.get_or_create(code="WMP001", defaults={"name": "稳盈", "kind": "wmp",
                                                                    "risk_level": "R2"})[0]
    return Holding.objects.get_or_create(customer=customer, product=product, account_no=f"6222{customer.pk:012d}",
                                         defaults={"amount": Decimal("1000"), "start_date": dt.date(2026, 1, 1)})[0]


def txn(world, customer):
    return Transaction.objects.get_or_create(
        external_id=f"T{customer.pk}", defaults=dict(
            customer=customer, account_no="6222000011", occurred_at=dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC),
            amount=Decimal("10"), direction="out", channel="mobile", counterparty_kind="other_bank"))[0]


class TestImportListAccess(AccessMatrix):
    allowed = ("archivist_c1", "head_c1", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1", "lobby_c1", "advisor_1", "admin")

    def url(self, world):
        return "/corebanking/imports/"


class TestImportUploadPageAccess(AccessMatrix):
    allowed = ("archivist_c1", "head_c1", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1", "advisor_1")

    def url(self, world):
        return "/corebanking/imports/upload/"


class TestImportDetailAccess(AccessMatrix):
    allowed = ("archivist_c1", "head_c1", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/corebanking/imports/{c1_batch(world).pk}/"


class TestRejectDownloadAccess(AccessMatrix):
    allowed = ("hq_service",)
    forbidden = ("cm_c1_1",)
    hidden = ("head_c2",)

    def url(self, world):
        batch, _ = load("balances", world.hq_service, [["客户号", "日期", "资产余额"], ["C000000001", "2026-11-27", "1"],
                                                       ["C9", "2026-11-27", "1"]], skip_bad_rows=True)
        ImportBatch.objects.filter(pk=batch.pk).update(unit=world.c1)  # as if loaded in C1, so head_c2 is outside
        return f"/corebanking/imports/{batch.pk}/rejects/"


class TestRollbackPageAccess(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("archivist_c1",)
    forbidden = ("cm_c1_1", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/corebanking/imports/{c1_batch(world).pk}/rollback/"


class TestImportApiListAccess(AccessMatrix):
    api = True
    allowed = ("archivist_c1", "head_c1", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1", "advisor_1")

    def url(self, world):
        return "/api/v1/imports/"


class TestImportApiDetailAccess(AccessMatrix):
    api = True
    allowed = ("archivist_c1", "head_c1", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/api/v1/imports/{c1_batch(world).pk}/"


class TestImportApiRollbackAccess(AccessMatrix):
    api = True
    method = "post"
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/api/v1/imports/{c1_batch(world).pk}/rollback/"


class TestProductApiAccess(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "teller_c1", "hq_service")

    def url(self, world):
        load("products", world.hq_service, PRODUCTS)
        return f"/api/v1/products/{Product.objects.get(code='WMP001').pk}/"


class TestHoldingApiListAccess(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1")
    forbidden = ("teller_c1", "lobby_c1", "advisor_1")

    def url(self, world):
        return "/api/v1/holdings/"


class TestHoldingApiDetailAccess(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "hq_service")
    forbidden = ("teller_c1", "advisor_1")
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/holdings/{holding(world, world.cust_a).pk}/"


class TestTransactionApiDetailAccess(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1")
    forbidden = ("teller_c1",)
    hidden = ("cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/transactions/{txn(world, world.cust_a).pk}/"


class TestTransactionApiListAccess(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c2")
    forbidden = ("teller_c1",)

    def url(self, world):
        return "/api/v1/transactions/"


def test_other_center_client_manager_sees_none_of_our_holdings(world, api_as):
    holding(world, world.cust_a)
    holding(world, world.cust_b)
    rows = api_as("cm_c2_1").get("/api/v1/holdings/").json()["results"]
    assert [r["customer"] for r in rows] == [world.cust_b.pk]
    assert rows[0]["account_no"] != f"6222{world.cust_b.pk:012d}"  # masked


def test_holding_detail_view_is_audited(world, api_as):
    from wealthdesk.core.models import AuditLog

    h = holding(world, world.cust_a)
    api_as("cm_c1_1").get(f"/api/v1/holdings/{h.pk}/")
    assert AuditLog.objects.filter(object_type="corebanking.holding", object_id=str(h.pk), action="view").exists()
