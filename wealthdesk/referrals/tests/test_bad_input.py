"""Bad input on the pages and the API gets a clear Chinese message naming the field, and saves nothing."""
import pytest
from django.core.cache import cache

from wealthdesk.referrals.models import Referral

from .helpers import refer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _form(**kw):
    data = {"lookup_kind": "mobile", "lookup_value": "", "prospect_name": "", "prospect_mobile": "",
            "signal": "large_deposit", "urgency": "normal", "needs_follow_up": "on"}
    data.update(kw)
    return data


def test_form_with_unknown_mobile_says_enter_as_new_prospect(world, login_as):
    response = login_as("teller_c1").post("/referrals/new/", _form(lookup_value="13911112222"))
    assert response.status_code == 400
    assert "未找到，请按新客户（潜在客户）录入" in response.content.decode()
    assert not Referral.objects.exists()


def test_form_unknown_mobile_with_prospect_name_becomes_a_prospect(world, login_as):
    response = login_as("teller_c1").post("/referrals/new/", _form(lookup_value="13911112222", prospect_name="孙新"))
    assert response.status_code == 302
    r = Referral.objects.get()
    assert r.customer is None and r.prospect_mobile == "13911112222" and r.customer_label == "孙新"


def test_form_duplicate_shows_a_warning_and_a_confirm_box(world, login_as):
    first = refer(world, mobile=world.cust_a.mobile)
    client = login_as("lobby_c1")
    response = client.post("/referrals/new/", _form(lookup_value=world.cust_a.mobile))
    text = response.content.decode()
    assert response.status_code == 400 and 'data-testid="duplicate-warning"' in text
    assert f"推介编号 {first.pk}" in text and Referral.objects.count() == 1
    response = client.post("/referrals/new/", _form(lookup_value=world.cust_a.mobile, confirm_duplicate="on"))
    assert response.status_code == 302 and Referral.objects.count() == 2


def test_form_pick_of_another_centers_manager_is_not_offered_nor_accepted(world, login_as):
    response = login_as("teller_c1").post("/referrals/new/", _form(prospect_name="孙新", prospect_mobile="13911112222",
                                                                   assign_to=world.cm_c2_1.pk))
    assert response.status_code == 400 and 'data-error="assign_to"' in response.content.decode()
    assert not Referral.objects.exists()


def test_form_without_signal_names_the_field(world, login_as):
    response = login_as("teller_c1").post("/referrals/new/", _form(signal="", prospect_name="孙新",
                                                                   prospect_mobile="13911112222"))
    assert response.status_code == 400 and 'data-error="signal"' in response.content.decode()


def test_lookup_page_with_partial_id_number_explains(world, login_as):
    response = login_as("teller_c1").post("/referrals/lookup/", {"lookup_kind": "id_number", "lookup_value": "1101"})
    assert response.status_code == 400 and "请输入完整的身份证号码" in response.content.decode()


def test_convert_page_with_negative_amount_shows_the_reason(world, login_as):
    r = refer(world, mobile=world.cust_a.mobile)
    response = login_as("cm_c1_1").post(f"/referrals/{r.pk}/convert/", {"amount": "-100"})
    assert response.status_code == 400 and "带来资产不能为负数" in response.content.decode()
    r.refresh_from_db()
    assert r.status == "new"


def test_invalid_without_reason_is_refused_on_the_page(world, login_as):
    r = refer(world, mobile=world.cust_a.mobile)
    response = login_as("cm_c1_1").post(f"/referrals/{r.pk}/invalid/", {"reason": ""})
    assert response.status_code == 400 and 'data-error="reason"' in response.content.decode()


def test_api_rejects_unknown_fields(world, api_as):
    response = api_as("teller_c1").post("/api/v1/referrals/", {"prospect_name": "孙新", "prospect_mobile": "13911112222",
                                                               "signal": "other", "customer": 1}, format="json")
    assert response.status_code == 400 and "customer" in response.json()
    assert not Referral.objects.exists()


def test_api_absurd_conversion_amount_is_refused(world, api_as):
    r = refer(world, mobile=world.cust_a.mobile)
    response = api_as("cm_c1_1").post(f"/api/v1/referrals/{r.pk}/convert/", {"amount": "1e12"}, format="json")
    assert response.status_code == 400 and "数额不合理" in response.json()["amount"][0]


def test_api_referral_to_another_centers_manager_is_refused(world, api_as):
    response = api_as("teller_c1").post("/api/v1/referrals/", {"prospect_name": "孙新", "prospect_mobile": "13911112222",
                                                               "signal": "other", "assign_to": world.cm_c2_1.pk},
                                        format="json")
    assert response.status_code == 400 and response.json()["assign_to"] == ["只能指定本理财中心的客户经理。"]


def test_api_teller_creates_and_lists_only_their_own(world, api_as):
    refer(world, "lobby_c1", prospect=("甲", "13900000001"))
    api = api_as("teller_c1")
    created = api.post("/api/v1/referrals/", {"lookup_kind": "mobile", "lookup_value": world.cust_a.mobile,
                                              "signal": "maturing_deposit"}, format="json")
    assert created.status_code == 201 and created.json()["customer_label"] == "张*"
    rows = api.get("/api/v1/referrals/").json()["results"]
    assert [r["id"] for r in rows] == [created.json()["id"]]


def test_api_follow_up_accept_contact_convert(world, api_as):
    r = refer(world, mobile=world.cust_a.mobile)
    api = api_as("cm_c1_1")
    assert api.post(f"/api/v1/referrals/{r.pk}/accept/", {}, format="json").json()["status"] == "accepted"
    body = api.post(f"/api/v1/referrals/{r.pk}/contact/", {"kind": "phone", "content": "电话沟通"}, format="json").json()
    assert body["status"] == "contacted"
    body = api.post(f"/api/v1/referrals/{r.pk}/convert/", {"amount": "60000"}, format="json").json()
    assert body["status"] == "converted" and body["conversion_amount"] == "60000.00"


def test_rule_page_refuses_an_unknown_rule_and_saves_a_known_one(world, login_as):
    client = login_as("head_c1")
    response = client.post("/referrals/rule/", {"rule": "by_lottery"})
    assert response.status_code == 400 and 'data-error="rule"' in response.content.decode()
    assert client.post("/referrals/rule/", {"rule": "least_loaded"}).status_code == 302
    from wealthdesk.referrals.models import CenterReferralSetting

    assert CenterReferralSetting.objects.get(center=world.c1).rule == "least_loaded"


def test_prospect_mobile_is_masked_and_revealed_only_to_the_assignee_with_audit(world, login_as):
    from wealthdesk.core.models import AuditAction, AuditLog

    r = refer(world, prospect=("孙新", "13911112222"), assign_to=world.cm_c1_2.pk)
    page = login_as("cm_c1_2").get(f"/referrals/{r.pk}/").content.decode()
    assert "139****2222" in page and "13911112222" not in page
    revealed = login_as("cm_c1_2").post(f"/referrals/{r.pk}/reveal-mobile/")
    assert "13911112222" in revealed.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.REVEAL, object_id=str(r.pk), actor=world.cm_c1_2).exists()
    assert login_as("cm_c1_1").post(f"/referrals/{r.pk}/reveal-mobile/").status_code == 404
