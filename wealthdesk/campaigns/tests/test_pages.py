"""Pages and API of campaigns: planning with a clear message for bad input (nothing saved), the list's fixed
query count, the masked call-list export, the API's create/transition/call with 400/409 answers."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.campaigns.models import Campaign, CampaignMember, Segment
from wealthdesk.contacts.models import ContactRecord
from wealthdesk.core.models import AuditLog
from wealthdesk.core.testing.exports import download, sheet, xlsx_text

from .factories import add_customers, make_campaign

pytestmark = pytest.mark.django_db


def _form(**over):
    today = timezone.localdate()
    data = {"scale": "small", "theme": "到期客户转理财", "content": "电话邀约", "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=10)).isoformat(), "goal_reached": "10", "goal_conversions": "2",
            "goal_aum": "100000", "budget": "3000", "tiers": ["core"]}
    data.update(over)
    return data


def test_head_plans_a_campaign_from_the_page(login_as, world):
    client = login_as("head_c1")
    response = client.post("/campaigns/new/", _form(staff=[world.cm_c1_1.pk]))
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.segment.tiers == ["core"] and list(campaign.staff.all()) == [world.cm_c1_1]
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert 'data-testid="segment-size">1<' in page and "提交审批" in page


def test_a_segment_matching_nobody_shows_the_message_and_saves_nothing(login_as):
    response = login_as("head_c1").post("/campaigns/new/", _form(tiers=["private"]))
    assert response.status_code == 400
    assert "目标客户群筛选条件在本理财中心没有匹配到任何客户" in response.content.decode()
    assert not Campaign.objects.exists() and not Segment.objects.exists()


@pytest.mark.parametrize("field,value,message", [
    ("budget", "-5", "金额不能为负数"), ("goal_reached", "abc", "请填写整数"), ("starts_on", "2026-13-40", ""),
    ("theme", "", "请填写活动主题"),
])
def test_bad_plan_input_names_the_field(login_as, field, value, message):
    response = login_as("head_c1").post("/campaigns/new/", _form(**{field: value}))
    assert response.status_code == 400
    body = response.content.decode()
    assert f'data-error-for="{field}"' in body and message in body
    assert not Campaign.objects.exists()


def test_list_page_has_a_fixed_number_of_queries(login_as, world, django_assert_max_num_queries):
    client = login_as("head_c1")
    make_campaign(world, status="running")
    client.get("/campaigns/")
    with django_assert_max_num_queries(14):
        assert client.get("/campaigns/").status_code == 200
    for i in range(8):
        make_campaign(world, status="approved", theme=f"活动{i}")
    with django_assert_max_num_queries(14):
        body = client.get("/campaigns/").content.decode()
    assert body.count("data-campaign=") == 9 and 'data-testid="quota-figure"' in body


def test_member_list_has_a_fixed_number_of_queries(login_as, world, django_assert_max_num_queries):
    add_customers(world, 30)
    campaign = make_campaign(world, status="running")
    client = login_as("head_c1")
    with django_assert_max_num_queries(14):
        body = client.get(f"/campaigns/{campaign.pk}/members/").content.decode()
    assert body.count("data-member=") == 32 and "138****1234" in body and "13812341234" not in body


def test_call_list_export_is_masked_and_audited(login_as, world):
    campaign = make_campaign(world, status="running")
    response = login_as("cm_c1_1").get(f"/campaigns/{campaign.pk}/members/export/?format=xlsx")
    text = xlsx_text(download(response))
    assert "张伟" in text and "138****1234" in text and "13812341234" not in text and "李娜" not in text
    ws = sheet(login_as("head_c1").get(f"/campaigns/{campaign.pk}/members/export/?format=xlsx"))
    assert [c.value for c in ws[4]][:4] == ["客户号", "姓名", "客户级别", "手机号"]
    assert AuditLog.objects.filter(action="export", object_type="campaigns.campaign").count() == 2


def test_client_manager_records_a_call_from_the_page(login_as, world):
    campaign = make_campaign(world, status="running")
    member = CampaignMember.objects.get(campaign=campaign, customer=world.cust_a)
    client = login_as("cm_c1_1")
    bad = client.post(f"/campaigns/members/{member.pk}/call/", {"outcome": "", "kind": "phone"})
    assert bad.status_code == 400 and "请选择联系结果" in bad.content.decode()
    ok = client.post(f"/campaigns/members/{member.pk}/call/", {"outcome": "interested", "kind": "phone",
                                                               "content": "愿意了解"})
    assert ok.status_code == 302
    assert ContactRecord.objects.get().source == f"campaign:{campaign.pk}"


def test_feedback_bad_input_on_the_page(login_as, world):
    campaign = make_campaign(world, status="ended")
    response = login_as("head_c1").post(f"/campaigns/{campaign.pk}/feedback/", {"spent": "-1"})
    assert response.status_code == 400 and "金额不能为负数" in response.content.decode()
    assert Campaign.objects.get().feedback_at is None


def test_quota_page_rolls_up_to_the_branch(login_as, world):
    make_campaign(world, status="approved")
    body = login_as("branch1_service").get("/campaigns/quota/").content.decode()
    assert 'data-unit="S1"' in body and 'data-center="C1"' in body and "小型 1 / 6" in body


def test_quota_page_drills_down_by_level(login_as, world, monkeypatch):
    """Issue 16: above QUOTA_CENTER_ROWS centers the page lists no center, the rows drill down one level."""
    from wealthdesk.campaigns import selectors

    make_campaign(world, status="approved")
    monkeypatch.setattr(selectors, "QUOTA_CENTER_ROWS", 0)
    client = login_as("hq_service")
    body = client.get("/campaigns/quota/").content.decode()
    assert f'href="?unit={world.branch1.pk}"' in body and 'data-center="C1"' not in body
    assert "下辖 2 个理财中心，请点击上表中的机构逐级查看。" in body
    monkeypatch.setattr(selectors, "QUOTA_CENTER_ROWS", 60)
    body = client.get(f"/campaigns/quota/?unit={world.sub1.pk}").content.decode()
    assert 'data-center="C1"' in body and 'data-center="C2"' not in body
    assert 'data-testid="quota-crumbs"' in body and f'href="?unit={world.branch1.pk}"' in body


def test_quota_page_refuses_a_unit_outside_the_subtree(login_as, world):
    client = login_as("branch1_service")
    assert client.get(f"/campaigns/quota/?unit={world.sub2.pk}").status_code == 404
    assert client.get(f"/campaigns/quota/?unit={world.hq.pk}").status_code == 404
    assert client.get("/campaigns/quota/?unit=abc").status_code == 404


# ---------------------------------------------------------------- API

def _api_plan(**over):
    today = timezone.localdate()
    data = {"scale": "small", "theme": "API 活动", "content": "内容", "goal_reached": 5, "goal_conversions": 1,
            "goal_aum": "1000.00", "budget": "100.00", "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=5)).isoformat(), "tiers": ["core", "premium"]}
    data.update(over)
    return data


def test_api_create_approve_start_members_call_results(api_as, world):
    head = api_as("head_c1")
    created = head.post("/api/v1/campaigns/", _api_plan(), format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["segment"]["tiers"] == ["core", "premium"]
    for step in ("submit", "approve", "start"):
        assert head.post(f"/api/v1/campaigns/{pk}/{step}/", {}, format="json").status_code == 200
    cm = api_as("cm_c1_1")
    members = cm.get(f"/api/v1/campaigns/{pk}/members/").json()
    assert members["count"] == 1 and members["results"][0]["customer_mobile"] == "138****1234"
    member_id = members["results"][0]["id"]
    call = cm.post(f"/api/v1/campaign-members/{member_id}/call/", {"outcome": "contacted"}, format="json")
    assert call.status_code == 200 and call.json()["call_status"] == "contacted"
    results = head.get(f"/api/v1/campaigns/{pk}/results/").json()
    assert results["results"]["contacts"] == 1 and results["frozen"] is False


def test_api_bad_input_is_400_naming_the_field_and_changes_nothing(api_as, world):
    head = api_as("head_c1")
    nobody = head.post("/api/v1/campaigns/", _api_plan(tiers=["private"]), format="json")
    assert nobody.status_code == 400 and "没有匹配到任何客户" in nobody.json()["segment"][0]
    other = head.post("/api/v1/campaigns/", _api_plan(center=world.c2.pk), format="json")
    assert other.status_code == 400 and "center" in other.json()
    unknown = head.post("/api/v1/campaigns/", _api_plan(colour="red"), format="json")
    assert unknown.status_code == 400 and "colour" in unknown.json()
    negative = head.post("/api/v1/campaigns/", _api_plan(budget="-1"), format="json")
    assert negative.status_code == 400 and "budget" in negative.json()
    assert not Campaign.objects.exists()
    campaign = make_campaign(world, status="submitted")
    stale = head.post(f"/api/v1/campaigns/{campaign.pk}/approve/", {"version": campaign.version + 3}, format="json")
    assert stale.status_code == 409
    no_reason = head.post(f"/api/v1/campaigns/{campaign.pk}/return/", {"reason": ""}, format="json")
    assert no_reason.status_code == 400
    assert Campaign.objects.get().status == "submitted"
