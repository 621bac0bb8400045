"""Referral at the counter and follow-up (R16): the narrow lookup, assignment rules, duplicates, bad input,
conversion (R17 quality) and that a teller never receives customer data (R28)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from wealthdesk.contacts.models import ContactRecord
from wealthdesk.core.audit import audited_update
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.params import set_param
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer
from wealthdesk.referrals import services
from wealthdesk.referrals.choices import AssignmentMethod, AssignmentRule, ConversionSource, ReferralStatus
from wealthdesk.referrals.models import Referral

from .helpers import assert_no_clear_personal_data, refer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


# --- the narrow lookup ---------------------------------------------------------------------------------

def test_teller_lookup_by_mobile_answers_found_and_masked_name_only(world):
    result = services.referral_lookup(actor=world.teller_c1, kind="mobile", value=world.cust_a.mobile)
    assert result == {"found": True, "masked_name": "张*", "message": "已找到客户：张*"}


def test_lookup_of_unknown_id_number_says_enter_as_prospect(world):
    result = services.referral_lookup(actor=world.teller_c1, kind="id_number", value="11010519491231002X")
    assert result["found"] is False and result["message"] == "未找到，请按新客户（潜在客户）录入"


def test_lookup_does_not_reach_customers_of_another_center(world):
    result = services.referral_lookup(actor=world.teller_c1, kind="mobile", value=world.cust_b.mobile)
    assert result["found"] is False


def test_partial_mobile_is_refused_not_searched(world):
    with pytest.raises(ValidationError) as exc:
        services.referral_lookup(actor=world.teller_c1, kind="mobile", value="1234")
    assert "完整的手机号码" in exc.value.message_dict["lookup_value"][0]


def test_lookup_is_audited_without_the_searched_value(world):
    services.referral_lookup(actor=world.teller_c1, kind="id_number", value=world.cust_a.id_number)
    row = AuditLog.objects.get(action=AuditAction.VIEW, actor=world.teller_c1)
    assert row.detail == {"lookup": "id_number", "found": True} and row.customer_id == world.cust_a.pk
    assert world.cust_a.id_number not in str(row.detail) + row.object_repr


def test_lookup_is_rate_limited_per_user(world):
    set_param("referral.lookup_per_minute", 3)
    for _ in range(3):
        services.referral_lookup(actor=world.teller_c1, kind="mobile", value="13900000000")
    with pytest.raises(ValidationError) as exc:
        services.referral_lookup(actor=world.teller_c1, kind="mobile", value="13900000001")
    assert "查询过于频繁" in exc.value.message_dict["lookup_value"][0]
    services.referral_lookup(actor=world.lobby_c1, kind="mobile", value="13900000000")  # others unaffected


def test_client_manager_cannot_use_the_referral_lookup(world):
    with pytest.raises(PermissionDenied):
        services.referral_lookup(actor=world.cm_c1_1, kind="mobile", value=world.cust_a.mobile)


def test_outlet_teller_finds_customers_of_the_centers_of_the_same_subbranch(world):
    world.teller_c1.unit = world.outlet1
    world.teller_c1.save()
    result = services.referral_lookup(actor=world.teller_c1, kind="mobile", value=world.cust_a.mobile)
    assert result["found"] is True


# --- create and assignment -----------------------------------------------------------------------------

def test_known_customer_goes_to_the_responsible_client_manager(world):
    r = refer(world, mobile=world.cust_a.mobile, referred_on=dt.date(2026, 11, 27))
    assert r.assigned_to == world.cm_c1_1 and r.assignment_method == AssignmentMethod.RESPONSIBLE
    assert r.customer == world.cust_a and r.customer_label == "张*" and r.center == world.c1
    assert r.tier_at_referral == Tier.CORE and r.aum_at_referral == Decimal("1500000.00")
    assert r.referrer_position == "cash_teller"
    assert r.due_on == dt.date(2026, 12, 1)  # Friday + 2 working days


def test_prospects_are_assigned_round_robin_by_default(world):
    a = refer(world, prospect=("赵一", "13700000001"))
    b = refer(world, prospect=("赵二", "13700000002"))
    c = refer(world, prospect=("赵三", "13700000003"))
    assert [a.assigned_to, b.assigned_to, c.assigned_to] == [world.cm_c1_1, world.cm_c1_2, world.cm_c1_1]
    assert a.assignment_method == AssignmentMethod.ROUND_ROBIN


def test_least_loaded_rule_picks_the_manager_with_fewest_open_referrals(world):
    services.center_rule_update(actor=world.head_c1, center=world.c1, rule=AssignmentRule.LEAST_LOADED)
    refer(world, mobile=world.cust_a.mobile)  # cm_c1_1 now has one open referral
    r = refer(world, prospect=("赵一", "13700000001"))
    assert r.assigned_to == world.cm_c1_2 and r.assignment_method == AssignmentMethod.LEAST_LOADED


def test_referrer_may_pick_a_client_manager_of_the_same_center(world):
    r = refer(world, prospect=("赵一", "13700000001"), assign_to=world.cm_c1_2.pk)
    assert r.assigned_to == world.cm_c1_2 and r.assignment_method == AssignmentMethod.PICKED


def test_referral_to_a_client_manager_of_another_center_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        refer(world, prospect=("赵一", "13700000001"), assign_to=world.cm_c2_1.pk)
    assert exc.value.message_dict["assign_to"] == ["只能指定本理财中心的客户经理。"]
    assert not Referral.objects.exists()


def test_only_the_head_of_the_center_changes_the_rule(world):
    with pytest.raises(PermissionDenied):
        services.center_rule_update(actor=world.head_c2, center=world.c1, rule=AssignmentRule.LEAST_LOADED)


def test_same_customer_again_within_30_days_warns_naming_the_open_referral(world):
    first = refer(world, mobile=world.cust_a.mobile)
    with pytest.raises(ValidationError) as exc:
        refer(world, "lobby_c1", id_number=world.cust_a.id_number)
    message = exc.value.message_dict["confirm_duplicate"][0]
    assert f"推介编号 {first.pk}" in message and "尚在跟进中" in message
    again = refer(world, "lobby_c1", id_number=world.cust_a.id_number, confirm_duplicate=True)
    assert again.pk != first.pk


def test_unknown_customer_without_prospect_data_is_not_saved(world):
    with pytest.raises(ValidationError) as exc:
        refer(world, mobile="13911112222")
    assert exc.value.message_dict["lookup_value"] == ["未找到，请按新客户（潜在客户）录入"]
    assert not Referral.objects.exists()


def test_prospect_with_a_bad_mobile_is_refused_with_the_field_named(world):
    with pytest.raises(ValidationError) as exc:
        refer(world, prospect=("赵一", "12345"))
    assert "手机号码应为11位" in exc.value.message_dict["prospect_mobile"][0]


def test_client_manager_cannot_make_a_referral(world):
    with pytest.raises(PermissionDenied):
        refer(world, "cm_c1_1", prospect=("赵一", "13700000001"))


# --- follow-up -----------------------------------------------------------------------------------------

def test_assigned_manager_accepts_records_contact_and_converts(world):
    r = refer(world, mobile=world.cust_a.mobile)
    services.referral_accept(actor=world.cm_c1_1, referral=r)
    services.referral_record_contact(actor=world.cm_c1_1, referral=r, kind="phone", content="电话介绍理财产品")
    contact = ContactRecord.objects.get(source=f"referral:{r.pk}")
    assert contact.customer == world.cust_a and contact.staff == world.cm_c1_1
    assert r.status == ReferralStatus.CONTACTED and r.contact_ref == str(contact.pk)
    services.referral_convert(actor=world.cm_c1_1, referral=r, amount="120000")
    r.refresh_from_db()
    assert r.status == ReferralStatus.CONVERTED and r.conversion_amount == Decimal("120000.00")
    assert r.conversion_source == ConversionSource.MANUAL


def test_contact_with_a_prospect_stays_on_the_referral(world):
    r = refer(world, prospect=("赵一", "13700000001"))
    cm = r.assigned_to
    services.referral_record_contact(actor=cm, referral=r, kind="phone", content="已约见")
    assert r.contact_note == "已约见" and r.contact_ref == "" and not ContactRecord.objects.exists()


@pytest.mark.parametrize("amount,reason", [("-1", "不能为负数"), ("999999999999", "数额不合理"), ("abc", "应为数字")])
def test_negative_or_absurd_conversion_amount_is_refused(world, amount, reason):
    r = refer(world, mobile=world.cust_a.mobile)
    with pytest.raises(ValidationError) as exc:
        services.referral_convert(actor=world.cm_c1_1, referral=r, amount=amount)
    assert reason in exc.value.message_dict["amount"][0]
    r.refresh_from_db()
    assert r.status == ReferralStatus.NEW


def test_invalid_needs_a_reason(world):
    r = refer(world, mobile=world.cust_a.mobile)
    with pytest.raises(ValidationError) as exc:
        services.referral_mark_invalid(actor=world.cm_c1_1, referral=r, reason=" ")
    assert "无效原因" in exc.value.message_dict["reason"][0]
    services.referral_mark_invalid(actor=world.cm_c1_1, referral=r, reason="客户无理财需求")
    assert r.status == ReferralStatus.INVALID


def test_another_manager_cannot_follow_up_someone_elses_referral(world):
    r = refer(world, mobile=world.cust_a.mobile)
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=world.cm_c1_2, referral=r)


def test_closed_referral_cannot_be_changed(world):
    r = refer(world, mobile=world.cust_a.mobile)
    services.referral_mark_invalid(actor=world.cm_c1_1, referral=r, reason="重复")
    with pytest.raises(ValidationError):
        services.referral_convert(actor=world.cm_c1_1, referral=r, amount="1")


def test_overdue_when_not_contacted_after_the_due_date(world):
    r = refer(world, mobile=world.cust_a.mobile, referred_on=dt.date(2026, 11, 20))
    assert Referral.objects.overdue(dt.date(2026, 11, 25)).filter(pk=r.pk).exists()
    assert not Referral.objects.overdue(dt.date(2026, 11, 24)).filter(pk=r.pk).exists()


# --- conversion from loaded balances -------------------------------------------------------------------

def _ordinary(world, cif, mobile, aum):
    return Customer.objects.create(cif_no=cif, name="周杰", id_number="110105199001010011", mobile=mobile,
                                   center=world.c1, client_manager=world.cm_c1_2, tier=Tier.ORDINARY,
                                   aum=Decimal(aum), aum_avg=Decimal(aum), aum_as_of=dt.date(2026, 11, 1))


def test_conversion_from_loaded_balances_by_aum_growth_and_by_tier(world):
    day = dt.date(2026, 11, 2)
    grower = refer(world, mobile=world.cust_a.mobile, referred_on=day)
    small = _ordinary(world, "C9", "13788889999", "50000")
    upgraded = refer(world, mobile=small.mobile, referred_on=day)
    still = refer(world, mobile=world.cust_a2.mobile, referred_on=day)
    # the balance loads (another app) move the customers' AUM and tier on
    audited_update(Customer.objects.filter(pk=world.cust_a.pk), actor=None, what="test set-up", aum=Decimal("1560000"), aum_as_of=dt.date(2026, 11, 20))
    audited_update(Customer.objects.filter(pk=small.pk), actor=None, what="test set-up", aum=Decimal("90000"), tier=Tier.PREMIUM, aum_as_of=dt.date(2026, 11, 20))
    audited_update(Customer.objects.filter(pk=world.cust_a2.pk), actor=None, what="test set-up", aum=Decimal("420000"), aum_as_of=dt.date(2026, 11, 20))
    result = services.referrals_update_conversions(as_of=dt.date(2026, 11, 20))
    assert result == {"aum": 1, "tier": 1}
    grower.refresh_from_db(), upgraded.refresh_from_db(), still.refresh_from_db()
    assert grower.status == ReferralStatus.CONVERTED and grower.conversion_source == ConversionSource.AUM
    assert grower.conversion_amount == Decimal("60000.00")
    assert upgraded.conversion_source == ConversionSource.TIER and upgraded.conversion_amount == Decimal("40000.00")
    assert still.status == ReferralStatus.NEW


def test_no_conversion_after_the_window_or_from_stale_balances(world):
    old = refer(world, mobile=world.cust_a.mobile, referred_on=dt.date(2026, 7, 1))
    audited_update(Customer.objects.filter(pk=world.cust_a.pk), actor=None, what="test set-up", aum=Decimal("3000000"), aum_as_of=dt.date(2026, 11, 20))
    stale = refer(world, mobile=world.cust_a2.mobile, referred_on=dt.date(2026, 11, 10), confirm_duplicate=True)
    audited_update(Customer.objects.filter(pk=world.cust_a2.pk), actor=None, what="test set-up", aum=Decimal("900000"), aum_as_of=dt.date(2026, 11, 1))
    assert services.referrals_update_conversions(as_of=dt.date(2026, 11, 20)) == {"aum": 0, "tier": 0}
    old.refresh_from_db(), stale.refresh_from_db()
    assert old.status == stale.status == ReferralStatus.NEW


def test_conversion_command_runs_and_is_audited(world):
    from django.core.management import call_command

    r = refer(world, mobile=world.cust_a.mobile, referred_on=dt.date(2026, 11, 2))
    audited_update(Customer.objects.filter(pk=world.cust_a.pk), actor=None, what="test set-up", aum=Decimal("1600000"), aum_as_of=dt.date(2026, 11, 20))
    call_command("referrals_update_conversions", "--as-of", "2026-11-20")
    r.refresh_from_db()
    assert r.status == ReferralStatus.CONVERTED
    assert AuditLog.objects.filter(object_id=str(r.pk), source="command:referrals_update_conversions").exists()


# --- a teller never receives customer data ----------------------------------------------------------------

def test_teller_never_receives_customer_data_in_pages_or_api(world, client, api_as):
    r = refer(world, mobile=world.cust_a.mobile)
    services.referral_record_contact(actor=world.cm_c1_1, referral=r, kind="phone", content="联系客户张伟")
    client.force_login(world.teller_c1)
    pages = ["/referrals/", f"/referrals/{r.pk}/", "/referrals/new/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert_no_clear_personal_data(text, world)
        assert "张伟" not in text and world.cust_a.cif_no not in text and "1,500,000" not in text
    lookup = client.post("/referrals/lookup/", {"lookup_kind": "mobile", "lookup_value": world.cust_a.mobile})
    assert "张*" in lookup.content.decode()
    assert_no_clear_personal_data(lookup.content.decode(), world)
    api = api_as("teller_c1")
    for url in ["/api/v1/referrals/", f"/api/v1/referrals/{r.pk}/"]:
        text = api.get(url).content.decode()
        assert_no_clear_personal_data(text, world)
        assert "张伟" not in text and "aum" not in text and "customer\"" not in text
    text = api.post("/api/v1/referrals/lookup/", {"lookup_kind": "mobile", "lookup_value": world.cust_a.mobile},
                    format="json").content.decode()
    assert set(api.post("/api/v1/referrals/lookup/", {"lookup_kind": "mobile", "lookup_value": world.cust_a.mobile},
                        format="json").json()) == {"found", "masked_name", "message"}
    assert_no_clear_personal_data(text, world)


def test_inbox_shows_the_managers_own_customers_by_name_as_the_customer_list_does(world, login_as):
    from .helpers import refer

    refer(world, mobile=world.cust_a.mobile, assign_to=world.cm_c1_1)
    prospect = refer(world, prospect=("孙新", "13911112222"), assign_to=world.cm_c1_1)
    inbox = login_as("cm_c1_1").get("/referrals/").content.decode()
    assert "张伟" in inbox and "张*" not in inbox  # the customer list shows 张伟 to cm_c1_1 too
    assert "张伟" in login_as("cm_c1_1").get("/customers/").content.decode()
    assert prospect.customer_label in inbox
    assert "张伟" not in login_as("teller_c1").get("/referrals/").content.decode()  # the referrer: masked
