"""Access events are audited with actor, positions, unit, IP and result: sign-ins, failed sign-ins, lockouts,
403 denials (pages and API) and list views of customer data (one row per list view, not one per row)."""
import pytest
from django.test import override_settings

from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.testing.world import PASSWORD

pytestmark = pytest.mark.django_db


def rows(action):
    return list(AuditLog.objects.filter(action=action).order_by("id"))


def test_a_sign_in_is_audited_with_role_unit_and_ip(client, world):
    response = client.post("/accounts/login/", {"username": "head_c1", "password": PASSWORD},
                           REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    (row,) = rows(AuditAction.LOGIN)
    assert row.actor == world.head_c1 and row.unit_id == world.c1.pk and row.ip == "10.1.2.3"
    assert row.detail["roles"] == ["center_head"] and row.detail["result"] == "ok"


def test_a_failed_sign_in_is_audited_with_the_name_tried(client, world):
    client.post("/accounts/login/", {"username": "head_c1", "password": "wrong-password"}, REMOTE_ADDR="10.9.9.9")
    (row,) = rows(AuditAction.LOGIN_FAILED)
    assert row.actor is None and row.actor_name == "head_c1" and row.ip == "10.9.9.9"
    assert row.detail["result"] == "failed"


def test_a_failed_token_request_is_audited(api_client, world):
    response = api_client.post("/api/v1/auth/token/", {"username": "cm_c1_1", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert rows(AuditAction.LOGIN_FAILED)[0].actor_name == "cm_c1_1"


@override_settings(AXES_FAILURE_LIMIT=2)
def test_a_lockout_is_audited(client, world):
    for _ in range(3):
        client.post("/accounts/login/", {"username": "cm_c1_1", "password": "wrong-password"}, REMOTE_ADDR="10.0.0.7")
    locked = rows(AuditAction.LOCKOUT)
    assert locked and locked[0].actor_name == "cm_c1_1" and locked[0].ip == "10.0.0.7"


def test_a_403_page_is_audited(login_as, world):
    response = login_as("teller_c1").get("/customers/")
    assert response.status_code == 403
    (row,) = rows(AuditAction.DENIED)
    assert row.actor == world.teller_c1 and row.detail["path"] == "/customers/"
    assert row.detail["roles"] == ["cash_teller"] and row.detail["result"] == "403" and row.unit_id == world.c1.pk


def test_a_403_api_answer_is_audited(api_as, world):
    response = api_as("teller_c1").get("/api/v1/customers/")
    assert response.status_code == 403
    (row,) = rows(AuditAction.DENIED)
    assert row.actor == world.teller_c1 and row.source == "api" and row.detail["method"] == "GET"


def test_a_customer_list_page_writes_one_row_not_one_per_customer(login_as, world):
    response = login_as("head_c1").get("/customers/", {"tier": ""})
    assert response.status_code == 200
    (row,) = rows(AuditAction.LIST)
    assert row.actor == world.head_c1 and row.detail["rows"] == 2 and row.detail["path"] == "/customers/"
    assert not AuditLog.objects.filter(action=AuditAction.VIEW).exists()


def test_a_customer_list_in_the_api_writes_one_row(api_as, world):
    response = api_as("hq_service").get("/api/v1/customers/")
    assert response.status_code == 200 and response.json()["count"] == 3
    (row,) = rows(AuditAction.LIST)
    assert row.actor == world.hq_service and row.detail["rows"] == 3 and row.source == "api"
