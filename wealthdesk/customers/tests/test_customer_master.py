"""Customer master (R2, R3): entry with validation, scope per role, masking everywhere, tier history."""
import datetime as dt
from decimal import Decimal

import pytest

from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer, TierHistory, TierThreshold
from wealthdesk.customers.services import tier_for_aum

pytestmark = pytest.mark.django_db

VALID = {"cif_no": "C000000100", "name": "赵敏", "gender": "F", "birth_date": "1985-06-01", "id_type": "id_card",
         "id_number": "11010519850601002X", "mobile": "13512345678", "address": "北京市朝阳区光华路1号",
         "occupation": "教师", "tier": "premium", "risk_level": "C3"}


def form_data(world, **overrides):
    return {**VALID, "center": world.c1.pk, "client_manager": world.cm_c1_1.pk, **overrides}


def fix_check_digit(first17):
    from wealthdesk.core.validators import id_check_digit

    return first17 + id_check_digit(first17)


VALID["id_number"] = fix_check_digit("11010519850601002")


def test_the_archive_keeper_enters_a_customer_and_the_entry_is_audited(login_as, world):
    response = login_as("archivist_c1").post("/customers/new/", form_data(world))
    customer = Customer.objects.get(cif_no="C000000100")
    assert response.status_code == 302 and response["Location"] == f"/customers/{customer.pk}/"
    assert customer.created_by == world.archivist_c1
    assert AuditLog.objects.filter(action=AuditAction.CREATE, customer_id=customer.pk).exists()
    assert TierHistory.objects.get(customer=customer).to_tier == Tier.PREMIUM


def test_a_wrong_check_digit_is_refused_in_chinese_and_nothing_is_saved(login_as, world):
    bad = VALID["id_number"][:17] + ("1" if VALID["id_number"][17] != "1" else "2")
    response = login_as("archivist_c1").post("/customers/new/", form_data(world, id_number=bad))
    assert response.status_code == 200
    assert "身份证号码校验位不正确" in response.content.decode()
    assert not Customer.objects.filter(cif_no="C000000100").exists()


def test_a_malformed_mobile_is_refused_naming_the_field(login_as, world):
    response = login_as("archivist_c1").post("/customers/new/", form_data(world, mobile="1381234"))
    assert 'data-error-for="mobile"' in response.content.decode()
    assert not Customer.objects.filter(cif_no="C000000100").exists()


def test_the_same_id_number_cannot_be_entered_twice(login_as, world):
    response = login_as("head_c1").post("/customers/new/", form_data(world, id_number=world.cust_a.id_number))
    assert response.status_code == 200 and not Customer.objects.filter(cif_no="C000000100").exists()


def test_a_center_outside_ones_scope_cannot_be_chosen(login_as, world):
    response = login_as("archivist_c1").post("/customers/new/", form_data(world, center=world.c2.pk))
    assert 'data-error-for="center"' in response.content.decode()
    assert not Customer.objects.filter(cif_no="C000000100").exists()


def test_api_create_masks_the_answer_and_rejects_unknown_fields(api_as, world):
    client = api_as("archivist_c1")
    payload = {**VALID, "center": world.c1.pk, "client_manager": world.cm_c1_1.pk}
    unknown = client.post("/api/v1/customers/", {**payload, "vip_flag": True}, format="json")
    assert unknown.status_code == 400 and "vip_flag" in unknown.json()
    bad = client.post("/api/v1/customers/", {**payload, "id_number": "123"}, format="json")
    assert bad.status_code == 400 and "id_number" in bad.json()
    assert not Customer.objects.filter(cif_no="C000000100").exists()
    ok = client.post("/api/v1/customers/", payload, format="json")
    assert ok.status_code == 201, ok.json()
    assert ok.json()["mobile"] == "135****5678" and ok.json()["id_number"].count("*") == 16


def test_a_client_manager_cannot_create_customers_through_the_api(api_as, world):
    response = api_as("cm_c1_1").post("/api/v1/customers/", {**VALID, "center": world.c1.pk}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("who, expected", [
    ("cm_c1_1", {"cust_a"}), ("cm_c1_2", {"cust_a2"}), ("lead_c1", {"cust_a", "cust_a2"}),
    ("head_c1", {"cust_a", "cust_a2"}), ("subbranch1_service", {"cust_a", "cust_a2"}),
    ("branch1_service", {"cust_a", "cust_a2"}), ("hq_service", {"cust_a", "cust_a2", "cust_b"}),
    ("cm_c2_1", {"cust_b"}), ("teller_c1", set()), ("lobby_c1", set()), ("advisor_1", set()), ("admin", set()),
])
def test_each_role_sees_exactly_its_scope(world, who, expected):
    names = {k for k, c in world.customers.items() if c in Customer.objects.visible_to(world.users[who])}
    assert names == expected


def test_every_page_and_api_answer_shows_personal_data_masked(login_as, api_as, world):
    page = login_as("head_c1").get("/customers/").content.decode()
    detail = login_as("head_c1").get(f"/customers/{world.cust_a.pk}/").content.decode()
    api = api_as("head_c1").get(f"/api/v1/customers/{world.cust_a.pk}/").content.decode()
    for body in (page, detail, api):
        assert world.cust_a.mobile not in body and world.cust_a.id_number not in body
        assert "建国路" not in body
    assert "138****1234" in page and "138****1234" in api


def test_search_by_name_or_last_four_digits_of_the_mobile(login_as, world):
    client = login_as("head_c1")
    assert "张伟" in client.get("/customers/?q=1234").content.decode()
    assert "张伟" not in client.get("/customers/?q=3333").content.decode()
    assert "李娜" in client.get("/customers/?q=李").content.decode()
    assert "李娜" not in client.get("/customers/?tier=core").content.decode()


def test_htmx_refresh_returns_only_the_table(login_as, world):
    response = login_as("head_c1").get("/customers/?q=张", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-testid="customer-table"' in body and "<nav" not in body


def test_the_list_page_keeps_a_fixed_number_of_queries(login_as, world, django_assert_max_num_queries):
    client = login_as("head_c1")
    # 13: the list view writes one audit row (core.access_audit), whatever the number of customers
    with django_assert_max_num_queries(13):
        client.get("/customers/")
    for i in range(40):
        Customer.objects.create(cif_no=f"X{i:05d}", name=f"客户{i}", id_type="passport", id_number=f"P{i:07d}",
                                center=world.c1, client_manager=world.cm_c1_1, tier=Tier.PREMIUM)
    with django_assert_max_num_queries(13):
        client.get("/customers/")


def test_the_head_sees_who_viewed_a_customer(login_as, world):
    login_as("cm_c1_1").get(f"/customers/{world.cust_a.pk}/")
    body = login_as("head_c1").get(f"/customers/{world.cust_a.pk}/").content.decode()
    assert 'data-testid="viewers"' in body and "cm_c1_1" in body


def test_reveal_needs_a_reason_and_is_audited(login_as, world):
    client = login_as("head_c1")
    missing = client.post(f"/customers/{world.cust_a.pk}/reveal/", {"field": "id_number", "reason": ""})
    assert missing.status_code == 400 and not AuditLog.objects.filter(action=AuditAction.REVEAL).exists()
    ok = client.post(f"/customers/{world.cust_a.pk}/reveal/", {"field": "id_number", "reason": "开户核对"})
    assert world.cust_a.id_number in ok.content.decode()
    row = AuditLog.objects.get(action=AuditAction.REVEAL)
    assert row.detail == {"field": "id_number", "reason": "开户核对"} and row.actor_name == "head_c1"


def test_tier_follows_thresholds_that_head_office_edits(world):
    assert tier_for_aum(Decimal("199999.99")) == Tier.ORDINARY
    assert tier_for_aum(Decimal("200000")) == Tier.PREMIUM
    assert tier_for_aum(Decimal("1000000")) == Tier.CORE
    assert tier_for_aum(Decimal("6000000")) == Tier.PRIVATE
    TierThreshold.objects.create(tier=Tier.PREMIUM, min_aum=Decimal("300000"))
    assert tier_for_aum(Decimal("250000")) == Tier.ORDINARY


def test_a_manual_tier_change_is_kept_in_the_history(world):
    from wealthdesk.customers.services import customer_update

    customer_update(actor=world.head_c1, customer=world.cust_a, tier=Tier.PREMIUM)
    row = TierHistory.objects.get(customer=world.cust_a)
    assert (row.from_tier, row.to_tier, row.changed_on) == (Tier.CORE, Tier.PREMIUM, dt.date.today())
    assert row.is_downgrade


def test_upper_levels_filter_the_list_by_unit(login_as, world):
    client = login_as("hq_service")
    body = client.get("/customers/").content.decode()
    assert f'<option value="{world.branch2.pk}"' in body and f'<option value="{world.sub2.pk}"' in body
    filtered = client.get(f"/customers/?unit={world.branch2.pk}").content.decode()
    assert "王芳" in filtered and "张伟" not in filtered
