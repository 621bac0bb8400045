"""DESIGN rule 13 for import batches: a rollback checks the batch's state under the row lock — twenty concurrent
rollbacks roll back once, and a batch already rolled back is refused with a message."""
import pytest
from django.core.exceptions import ValidationError

from wealthdesk.core.models import AuditLog
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.corebanking.choices import BatchStatus
from wealthdesk.corebanking.models import ImportBatch
from wealthdesk.corebanking.services import batch_rollback
from wealthdesk.staff.models import User

from .helpers import load

BAL = ["客户号", "日期", "资产余额"]


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_rollbacks_roll_back_once(world):
    batch, _ = load("balances", world.hq_service, [BAL, ["C000000001", "2026-11-27", "10"]])
    result = race(lambda p: batch_rollback(actor=p[1], batch=p[0]),
                  prepare=lambda: (ImportBatch.objects.get(pk=batch.pk), User.objects.get(username="hq_service")))
    result.assert_one_winner(ValidationError)
    assert AuditLog.objects.filter(object_type__icontains="importbatch", object_id=str(batch.pk),
                                   detail__rollback=True).count() == 1


@pytest.mark.django_db
def test_a_rolled_back_batch_cannot_be_rolled_back_again(world):
    batch, _ = load("balances", world.hq_service, [BAL, ["C000000001", "2026-11-27", "10"]])
    stale = ImportBatch.objects.get(pk=batch.pk)
    batch_rollback(actor=world.hq_service, batch=batch)
    with pytest.raises(ValidationError) as exc:
        batch_rollback(actor=world.hq_service, batch=stale)
    assert "只有已导入的批次可以回滚" in exc.value.message_dict["batch"][0]
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.ROLLED_BACK
