"""The VIP bulletin (R40): head office writes and publishes issues to chosen tiers and units, client managers mark
which of their customers received one (masked, bulk), head office sees the reach per unit rolled up."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wealthdesk.cases import bulletins
from wealthdesk.cases.choices import IssueStatus
from wealthdesk.cases.models import BulletinIssue, BulletinReceipt
from wealthdesk.core.masking import mask_mobile
from wealthdesk.customers.choices import Tier

pytestmark = pytest.mark.django_db


def _issue(world, units=None, tiers=(Tier.CORE, Tier.PREMIUM)):
    issue = bulletins.issue_create(actor=world.hq_service, issue_no="2026-1", title="秋季展望",
                                   articles=[("市场展望", "四季度……"), ("黄金", "黄金配置……")])
    return bulletins.issue_publish(actor=world.hq_service, issue=issue, tiers=list(tiers),
                                   units=units or [world.branch1])


def test_head_office_publishes_an_issue_with_articles_to_tiers_and_units(world):
    issue = _issue(world)
    assert issue.status == IssueStatus.PUBLISHED and issue.articles.count() == 2
    assert BulletinIssue.objects.visible_to(world.cm_c1_1).filter(pk=issue.pk).exists()
    assert BulletinIssue.objects.visible_to(world.subbranch1_service).filter(pk=issue.pk).exists()
    assert not BulletinIssue.objects.visible_to(world.cm_c2_1).exists()  # not sent to branch2
    assert not BulletinIssue.objects.visible_to(world.teller_c1).exists()


def test_bad_issues_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        bulletins.issue_create(actor=world.hq_service, issue_no="", title="", articles=[("标题", "")])
    assert set(exc.value.message_dict) == {"issue_no", "title", "articles"}
    issue = bulletins.issue_create(actor=world.hq_service, issue_no="X", title="t", articles=[("a", "b")])
    with pytest.raises(ValidationError) as exc:
        bulletins.issue_publish(actor=world.hq_service, issue=issue, tiers=["ordinary"], units=[])
    assert set(exc.value.message_dict) == {"tiers", "units"}
    with pytest.raises(PermissionDenied):
        bulletins.issue_create(actor=world.branch1_service, issue_no="Y", title="t", articles=[("a", "b")])


def test_a_client_manager_marks_only_own_eligible_customers(world):
    issue = _issue(world)
    assert list(bulletins.eligible_customers(world.cm_c1_1, issue)) == [world.cust_a]
    assert bulletins.receipts_mark(actor=world.cm_c1_1, issue=issue, customer_ids=[world.cust_a.pk]) == 1
    assert bulletins.receipts_mark(actor=world.cm_c1_1, issue=issue, customer_ids=[world.cust_a.pk]) == 0
    with pytest.raises(ValidationError):
        bulletins.receipts_mark(actor=world.cm_c1_1, issue=issue, customer_ids=[world.cust_a2.pk])
    with pytest.raises(ValidationError):
        bulletins.receipts_mark(actor=world.cm_c1_1, issue=issue, customer_ids=[])
    with pytest.raises(PermissionDenied):
        bulletins.receipts_mark(actor=world.head_c1, issue=issue, customer_ids=[world.cust_a.pk])
    assert BulletinReceipt.objects.count() == 1


def test_reach_rolls_up_per_unit(world):
    issue = _issue(world, units=[world.hq])
    bulletins.receipts_mark(actor=world.cm_c1_1, issue=issue, customer_ids=[world.cust_a.pk])
    rows = {r["unit"].code: r["figures"] for r in bulletins.reach_rows(world.hq_service, issue, world.hq)}
    assert rows["B1"] == {"eligible": 2, "received": 1}
    assert rows["B2"] == {"eligible": 0, "received": 0}  # cust_b is private, not sent
    rows = {r["unit"].code: r["figures"] for r in bulletins.reach_rows(world.branch1_service, issue, world.branch1)}
    assert rows["S1"] == {"eligible": 2, "received": 1}


def test_the_pages_mark_recipients_in_bulk_and_show_the_message_on_bad_input(client, world):
    issue = _issue(world)
    client.force_login(world.cm_c1_1)
    page = client.get(f"/cases/bulletins/{issue.pk}/recipients/").content.decode()
    assert "13812341234" not in page and mask_mobile("13812341234") in page
    response = client.post(f"/cases/bulletins/{issue.pk}/recipients/", {})
    assert response.status_code == 400 and "请勾选收到专刊的客户。" in response.content.decode()
    response = client.post(f"/cases/bulletins/{issue.pk}/recipients/", {"customer": [world.cust_a.pk]})
    assert response.status_code == 302 and BulletinReceipt.objects.filter(customer=world.cust_a).exists()
    client.force_login(world.hq_service)
    body = client.get(f"/cases/bulletins/{issue.pk}/").content.decode()
    assert 'data-testid="reach-table"' in body


def test_head_office_creates_and_publishes_on_the_pages(client, world):
    client.force_login(world.hq_service)
    response = client.post("/cases/bulletins/new/", {"issue_no": "", "title": ""})
    assert response.status_code == 400 and "请填写期号。" in response.content.decode()
    response = client.post("/cases/bulletins/new/", {"issue_no": "2026-9", "title": "岁末", "article1_title": "a",
                                                     "article1_body": "b"})
    issue = BulletinIssue.objects.get()
    assert response.status_code == 302
    response = client.post(f"/cases/bulletins/{issue.pk}/publish/", {"tiers": []})
    assert response.status_code == 400 and "请至少选择一个客户级别。" in response.content.decode()
    response = client.post(f"/cases/bulletins/{issue.pk}/publish/", {"tiers": ["core"], "units": [world.hq.pk]})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED


def test_bulletin_api(api_as, world):
    issue = _issue(world)
    api = api_as("cm_c1_1")
    assert api.get("/api/v1/bulletins/").json()["count"] == 1
    r = api.post(f"/api/v1/bulletins/{issue.pk}/mark_received/", {"customers": [world.cust_a2.pk]}, format="json")
    assert r.status_code == 400 and "customers" in r.json()
    r = api.post(f"/api/v1/bulletins/{issue.pk}/mark_received/", {"customers": [world.cust_a.pk]}, format="json")
    assert r.json() == {"marked": 1}
    assert api_as("cm_c2_1").get(f"/api/v1/bulletins/{issue.pk}/").status_code == 404
