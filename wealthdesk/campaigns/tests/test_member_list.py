"""/api/v1/campaign-members/ (issue 16): keyset pages in ``(campaign, holdout, id)`` order (no exact count of the
bank's call lists, no OFFSET) reading only the row's columns. Each persona walks exactly the rows it sees, each
as the serializer gave it from whole rows (names masked for who reads them masked), and the list runs the same
queries with 10× the campaigns and customers."""
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from wealthdesk.campaigns.api import MemberSerializer
from wealthdesk.campaigns.models import CampaignMember
from wealthdesk.core.testing.scale import page_fetcher, query_counts, walk_keyset

from .factories import add_customers, make_campaign

pytestmark = pytest.mark.django_db

PERSONAS = ["head_c1", "cm_c1_1", "lead_c1", "branch1_service"]


def _walk(world, persona, page_size=4):
    return walk_keyset(world.users[persona], f"/api/v1/campaign-members/?page_size={page_size}")


def _expected(world, persona):
    user = world.users[persona]
    members = (CampaignMember.objects.visible_to(user).select_related("customer", "campaign")
               .order_by("campaign_id", "is_holdout", "id"))
    return MemberSerializer(members, many=True, context={"request": SimpleNamespace(user=user)}).data


@pytest.mark.parametrize("persona", PERSONAS)
def test_rows_are_the_visible_members_as_before(world, persona):
    add_customers(world, 12)
    make_campaign(world, status="running", theme="第一场")
    make_campaign(world, status="running", theme="第二场")
    rows = _walk(world, persona)
    assert rows == list(_expected(world, persona)) and rows


def test_filters_still_apply(world):
    add_customers(world, 6)
    first = make_campaign(world, status="running", theme="第一场")
    make_campaign(world, status="running", theme="第二场")
    api = APIClient()
    api.force_login(world.users["head_c1"])
    rows = api.get(f"/api/v1/campaign-members/?campaign={first.pk}&page_size=500").json()["results"]
    assert rows and {r["campaign"] for r in rows} == {first.pk}


def test_the_member_list_runs_the_same_queries_for_ten_times_the_data(world):
    add_customers(world, 3, prefix="A")
    make_campaign(world, status="running", theme="第一场")
    fetch = page_fetcher(world, "/api/v1/campaign-members/", api=True)
    before = query_counts(PERSONAS, fetch)
    add_customers(world, 60, prefix="B")
    for i in range(9):
        make_campaign(world, status="running", theme=f"第{i + 2}场")
    assert CampaignMember.objects.count() >= 10 * 5
    assert query_counts(PERSONAS, fetch) == before
