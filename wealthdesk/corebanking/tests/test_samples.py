"""The sample files documented in docs/corebanking-formats.md load as documented (GBK CSV, .xlsx, UTF-8 CSV)."""
from pathlib import Path

import pytest

from wealthdesk.corebanking.choices import BatchStatus
from wealthdesk.corebanking.models import Holding, Transaction
from wealthdesk.corebanking.services import import_run
from wealthdesk.customers.models import Customer

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
pytestmark = pytest.mark.django_db


def run(actor, kind, name):
    batch, created = import_run(actor=actor, kind=kind, data=(SAMPLES / name).read_bytes(), file_name=name)
    assert created and batch.status == BatchStatus.LOADED, batch.errors
    return batch


def test_all_sample_files_load_in_order(world):
    assert run(world.archivist_c1, "customers", "customers_gbk.csv").rows_loaded == 2
    assert Customer.objects.get(cif_no="C900000001").name == "赵磊"
    run(world.hq_service, "products", "products.csv")
    run(world.hq_service, "holdings", "holdings.xlsx")
    assert Holding.objects.filter(customer__cif_no="C900000002").get().amount == 120000.5
    run(world.hq_service, "balances", "balances.csv")
    assert Customer.objects.get(cif_no="C900000001").tier == "core"
    run(world.hq_service, "transactions", "transactions.csv")
    assert Transaction.objects.count() == 2
