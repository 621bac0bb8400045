"""The reveal action has a daily cap per user (``reveal.daily_cap``, default 20): past it the page answers 429
with a message, and the center head is alerted through the audit log."""
import pytest

from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.params import DEFAULTS, set_param

pytestmark = pytest.mark.django_db


def test_the_default_cap_is_twenty():
    assert DEFAULTS["reveal.daily_cap"][0] == 20


def test_past_the_cap_the_reveal_answers_429_and_the_head_is_alerted(login_as, world):
    set_param("reveal.daily_cap", 3)
    client = login_as("cm_c1_1")
    url = f"/customers/{world.cust_a.pk}/reveal/"
    statuses = [client.post(url, {"field": "mobile", "reason": "核对联系方式"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.post(url, {"field": "mobile", "reason": "核对联系方式"})
    body = refused.content.decode()
    assert refused.status_code == 429 and "上限" in body and "13812341234" not in body
    assert AuditLog.objects.filter(action=AuditAction.REVEAL, actor=world.cm_c1_1).count() == 3
    alert = AuditLog.objects.filter(action=AuditAction.DENIED, detail__what="reveal_daily_cap").first()
    assert alert is not None and alert.unit_id == world.c1.pk and alert.detail["cap"] == 3
    page = login_as("head_c1").get("/core/audit/", {"action": "denied"}).content.decode()
    assert "cm_c1_1" in page


def test_the_cap_is_per_user(login_as, world):
    set_param("reveal.daily_cap", 1)
    url = f"/customers/{world.cust_a.pk}/reveal/"
    assert login_as("cm_c1_1").post(url, {"field": "mobile", "reason": "核对"}).status_code == 200
    assert login_as("head_c1").post(url, {"field": "mobile", "reason": "核对"}).status_code == 200
    assert login_as("cm_c1_1").post(url, {"field": "mobile", "reason": "核对"}).status_code == 429
