"""Server errors found in acceptance (issue 9): a transactions file dated 0001-01-01 and 9999-12-31 was committed and
its alert scan crashed with a 500. Dates outside 1900–2100 are rejected with line and column; a follow-up that fails
leaves the batch loaded, says so, and can be re-run."""
from unittest import mock

import pytest

from wealthdesk.corebanking import services
from wealthdesk.corebanking.choices import BatchStatus, FollowupStatus
from wealthdesk.corebanking.models import ImportBatch, Transaction

from .helpers import csv_bytes, load

pytestmark = pytest.mark.django_db
TXN = ["流水号", "客户号", "账号", "交易时间", "金额", "方向", "渠道", "对手方类型"]
BAL = ["客户号", "日期", "资产余额"]


def test_transactions_dated_year_1_and_9999_are_rejected_with_line_and_column(world):
    batch, _ = load("transactions", world.hq_service, [
        TXN, ["T1", "C000000001", "6222", "0001-01-01 10:00:00", "50000", "转出", "手机银行", "他行"],
        ["T2", "C000000001", "6222", "9999-12-31 23:59:59", "50000", "转出", "手机银行", "他行"]])
    assert batch.status == BatchStatus.REJECTED and not Transaction.objects.exists()
    assert {(e["line"], e["column"]) for e in batch.errors} == {(2, "交易时间"), (3, "交易时间")}
    assert all("1900-01-01" in e["reason"] for e in batch.errors)


def test_balances_dated_outside_the_range_are_rejected(world):
    batch, _ = load("balances", world.hq_service, [BAL, ["C000000001", "0001-01-01", "10"],
                                                   ["C000000001", "9999-12-31", "10"]])
    assert batch.status == BatchStatus.REJECTED
    assert {e["line"] for e in batch.errors} >= {2, 3}


def test_the_upload_page_answers_with_a_message_not_a_500(world, login_as):
    client = login_as("hq_service")
    data = csv_bytes([TXN, ["T1", "C000000001", "6222", "9999-12-31 23:59:59", "50000", "转出", "手机银行", "他行"]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/corebanking/imports/upload/", {"kind": "transactions",
                                                            "file": SimpleUploadedFile("t.csv", data)}, follow=True)
    assert response.status_code == 200
    assert ImportBatch.objects.get().status == BatchStatus.REJECTED


def test_a_failing_scan_leaves_the_batch_loaded_marked_failed_and_rerunnable(world, login_as):
    rows = [TXN, ["T1", "C000000001", "6222", "2026-11-27 10:00:00", "50000", "转出", "手机银行", "他行"]]
    with mock.patch.object(services, "_alerts_scan", side_effect=OverflowError("date value out of range")):
        batch, _ = load("transactions", world.hq_service, rows)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.LOADED and Transaction.objects.count() == 1
    assert batch.followup_status == FollowupStatus.FAILED and "OverflowError" in batch.followup_error
    client = login_as("hq_service")
    page = client.get(f"/corebanking/imports/{batch.pk}/").content.decode()
    assert 'data-testid="followup-rerun"' in page
    response = client.post(f"/corebanking/imports/{batch.pk}/followup/", follow=True)
    assert response.status_code == 200 and "后续处理已完成" in response.content.decode()
    batch.refresh_from_db()
    assert batch.followup_status == FollowupStatus.DONE and batch.followup_error == ""


def test_api_reruns_the_followup(world, api_as):
    batch, _ = load("balances", world.hq_service, [BAL, ["C000000001", "2026-11-27", "10"]])
    assert ImportBatch.objects.get(pk=batch.pk).followup_status == FollowupStatus.DONE
    response = api_as("hq_service").post(f"/api/v1/imports/{batch.pk}/followup/")
    assert response.status_code == 200 and response.json()["followup_status"] == "done"
