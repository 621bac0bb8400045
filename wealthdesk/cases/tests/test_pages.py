"""List pages answer in a fixed number of queries (one row or many) and link to the details."""
import pytest

from wealthdesk.cases import bulletins, joint
from wealthdesk.customers.choices import Tier

from .factories import hq_manager, open_case

pytestmark = pytest.mark.django_db


def _count(client, url, django_assert_max_num_queries, n):
    with django_assert_max_num_queries(n):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_case_list_query_count_is_fixed(client, world, django_assert_max_num_queries):
    open_case(world, to_unit=world.branch1)
    client.force_login(world.branch1_service)
    body = _count(client, "/cases/", django_assert_max_num_queries, 25)
    for _ in range(8):
        open_case(world, to_unit=world.branch1)
    body = _count(client, "/cases/", django_assert_max_num_queries, 25)
    assert body.count('href="/cases/') > 9


def test_joint_and_bulletin_lists_query_counts_are_fixed(client, world, django_assert_max_num_queries):
    joint.joint_team_create(actor=world.hq_service, customer=world.cust_b, hq_manager=hq_manager(world))
    client.force_login(world.hq_service)
    _count(client, "/cases/joint/", django_assert_max_num_queries, 25)
    issue = bulletins.issue_create(actor=world.hq_service, issue_no="1", title="t", articles=[("a", "b")])
    bulletins.issue_publish(actor=world.hq_service, issue=issue, tiers=[Tier.CORE], units=[world.hq])
    _count(client, "/cases/bulletins/", django_assert_max_num_queries, 25)
    client.force_login(world.cm_c1_1)
    _count(client, f"/cases/bulletins/{issue.pk}/recipients/", django_assert_max_num_queries, 30)


def test_case_pages_show_the_bad_input_message(client, world):
    client.force_login(world.head_c1)
    response = client.post("/cases/new/", {"subject_kind": "customer", "subject_id": world.cust_a.pk,
                                           "title": "利率", "question": "", "service_level": "standard",
                                           "to_unit": world.branch1.pk})
    assert response.status_code == 400 and "请填写请求上级解决的问题。" in response.content.decode()
    response = client.post("/cases/new/", {"subject_kind": "customer", "subject_id": world.cust_a.pk,
                                           "title": "利率", "question": "需优惠", "service_level": "standard",
                                           "to_unit": world.branch1.pk})
    assert response.status_code == 302
