"""/api/v1/reports/: kind filter, rows carrying ``id``, pagination, the chain's actions and bad input."""
import pytest

from wealthdesk.core.submission import SubmissionStatus
from wealthdesk.reports.models import Report

from .helpers import last_period, monthly

pytestmark = pytest.mark.django_db


def test_list_is_paginated_filtered_by_kind_and_rows_carry_an_id(api_as, world):
    report = monthly(world)
    data = api_as("cm_c1_1").get("/api/v1/reports/?kind=cm_monthly").json()
    assert data["count"] == 1 and data["results"][0]["id"] == report.pk and "next" in data
    assert api_as("cm_c1_1").get("/api/v1/reports/?kind=operating").json()["count"] == 0
    bad = api_as("cm_c1_1").get("/api/v1/reports/?kind=nonsense")
    assert bad.status_code == 400 and "kind" in bad.json()


def test_create_edit_submit_receive_through_the_api(api_as, world):
    cm = api_as("cm_c1_1")
    created = cm.post("/api/v1/reports/", {"kind": "cm_monthly", "period": f"{last_period('cm_monthly'):%Y-%m}"},
                      format="json")
    assert created.status_code == 201, created.content
    pk, version = created.json()["id"], created.json()["version"]
    assert created.json()["content"]["figures"]["groups"]
    edited = cm.patch(f"/api/v1/reports/{pk}/", {"version": version, "body": {"customers": "客户稳定"}}, format="json")
    assert edited.status_code == 200
    stale = cm.patch(f"/api/v1/reports/{pk}/", {"version": version, "body": {"customers": "过期"}}, format="json")
    assert stale.status_code == 409
    assert Report.objects.get(pk=pk).body["customers"] == "客户稳定"
    assert cm.post(f"/api/v1/reports/{pk}/submit/", {}, format="json").status_code == 200
    twice = cm.post(f"/api/v1/reports/{pk}/submit/", {}, format="json")
    assert twice.status_code == 400 and "不能重复报送" in twice.json()["status"][0]
    after = cm.patch(f"/api/v1/reports/{pk}/", {"version": version + 2, "body": {"customers": "改"}}, format="json")
    assert after.status_code == 400 and "不能再修改" in after.json()["status"][0]
    head = api_as("head_c1")
    no_comment = head.post(f"/api/v1/reports/{pk}/return/", {"comment": ""}, format="json")
    assert no_comment.status_code == 400 and "comment" in no_comment.json()
    assert Report.objects.get(pk=pk).status == SubmissionStatus.SUBMITTED
    received = head.post(f"/api/v1/reports/{pk}/receive/", {"comment": "收到"}, format="json")
    assert received.status_code == 200 and received.json()["status"] == "received"


def test_bad_input_names_the_field(api_as, world):
    cm = api_as("cm_c1_1")
    bad = cm.post("/api/v1/reports/", {"kind": "cm_monthly", "period": "2026Q9"}, format="json")
    assert bad.status_code == 400 and "period" in bad.json()
    unknown = cm.post("/api/v1/reports/", {"kind": "cm_monthly", "period": "2026-01", "colour": "x"}, format="json")
    assert unknown.status_code == 400 and "colour" in unknown.json()
    future = cm.post("/api/v1/reports/", {"kind": "cm_monthly", "period": "2099-01"}, format="json")
    assert future.status_code == 400 and "period" in future.json()
    assert not Report.objects.exists()


def test_the_api_is_in_the_schema(api_as, world):
    schema = api_as("cm_c1_1").get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/v1/reports/" in paths and "/api/v1/reports/{id}/return/" in paths


def test_list_query_count_is_pinned(api_as, world, django_assert_max_num_queries):
    monthly(world)
    monthly(world, "cm_c1_2")
    client = api_as("head_c1")
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/reports/").json()["count"] == 2


@pytest.mark.parametrize("n", [1, 2])
def test_the_list_page_keeps_a_fixed_number_of_queries(login_as, world, n, django_assert_max_num_queries):
    for who in ("cm_c1_1", "cm_c1_2")[:n]:
        monthly(world, who)
    client = login_as("head_c1")
    with django_assert_max_num_queries(22):
        assert client.get("/reports/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/reports/library/").status_code == 200
