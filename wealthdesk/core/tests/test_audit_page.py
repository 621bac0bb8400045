"""The audit log page reads in words: the object's masked name instead of ``customers.customer #4281``, a sentence
per action instead of raw dicts, and filters by person, customer, action and date with clear messages."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.core.audit import audit_record
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.customers import services

pytestmark = pytest.mark.django_db


def _page(client, **params):
    return client.get("/core/audit/", params).content.decode()


def test_rows_name_the_customer_masked_and_say_what_was_done(login_as, world):
    services.customer_reveal(actor=world.cm_c1_1, customer=world.cust_a, field="mobile", reason="核对联系方式")
    services.customer_update(actor=world.head_c1, customer=world.cust_a, occupation="律师", mobile="13900001111")
    services.customer_reassign(actor=world.head_c1, customer=world.cust_a, to_manager=world.cm_c1_2)
    audit_record(actor=world.head_c1, action=AuditAction.EXPORT, obj=world.cust_a, detail={"export": "投诉记录表"})
    html = _page(login_as("head_c1"))
    assert "customers.customer" not in html and "{&#x27;" not in html and "{'" not in html
    assert "客户 张*（C000000001）" in html and "张伟" not in html
    assert "查看明文：手机号（原因：核对联系方式）" in html
    assert "修改客户：手机号、职业" in html
    assert "移交客户经理：cm_c1_1 → cm_c1_2" in html
    assert "导出《投诉记录表》" in html


def test_filters_by_person_customer_action_and_date(login_as, world):
    client = login_as("cm_c1_1")
    client.get(f"/customers/{world.cust_a.pk}/")
    login_as("cm_c1_2").get(f"/customers/{world.cust_a2.pk}/")
    services.customer_update(actor=world.head_c1, customer=world.cust_a, occupation="律师")
    head = login_as("head_c1")
    by_person = _page(head, actor="cm_c1_2")
    assert "C000000002" in by_person and "C000000001" not in by_person
    by_cif = _page(head, customer="C000000001")
    assert "C000000001" in by_cif and "C000000002" not in by_cif
    assert "C000000002" in _page(head, customer=str(world.cust_a2.pk))
    changes = _page(head, action="change")
    assert "修改客户" in changes and "查看客户" not in changes
    today = timezone.localdate()
    assert "C000000001" in _page(head, start=today.isoformat(), end=today.isoformat())
    assert "C000000001" not in _page(head, start=(today + dt.timedelta(days=1)).isoformat())


@pytest.mark.parametrize("params, message", [
    ({"start": "2026-13-01"}, "开始日期：请按 YYYY-MM-DD 填写日期。"),
    ({"end": "yesterday"}, "结束日期：请按 YYYY-MM-DD 填写日期。"),
    ({"start": "2026-05-02", "end": "2026-05-01"}, "结束日期：不能早于开始日期。"),
    ({"action": "drop"}, "动作：没有这种动作"),
    ({"customer": "C999"}, "客户：没有找到客户号或编号为“C999”的客户。"),
])
def test_bad_filter_values_get_a_message_and_no_rows(login_as, world, params, message):
    login_as("cm_c1_1").get(f"/customers/{world.cust_a.pk}/")
    html = _page(login_as("head_c1"), **params)
    assert 'data-testid="filter-errors"' in html and message in html
    assert "暂无记录" in html


def test_a_customer_outside_the_scope_is_not_found_by_cif(login_as, world):
    login_as("cm_c2_1").get(f"/customers/{world.cust_b.pk}/")
    html = _page(login_as("head_c1"), customer="C000000003")
    assert "没有找到" in html


def test_the_page_keeps_its_query_count_with_many_rows(login_as, world, django_assert_max_num_queries):
    client = login_as("head_c1")
    for _ in range(30):
        audit_record(actor=world.cm_c1_1, action=AuditAction.VIEW, obj=world.cust_a)
        audit_record(actor=world.head_c1, action=AuditAction.CHANGE, obj=world.cust_a2,
                     detail={"what": "reassign", "from": world.cm_c1_1.pk, "to": world.cm_c1_2.pk})
    assert AuditLog.objects.count() >= 60
    with django_assert_max_num_queries(14):
        assert client.get("/core/audit/").status_code == 200
