"""/api/v1/targets/ and /api/v1/performance-sheets/: progress and breakdown in the rows, links to the records, bad
input answered 400 with the reason and nothing changed."""
import pytest

from wealthdesk.targets.models import Target

from .helpers import data

pytestmark = pytest.mark.django_db


def test_targets_carry_their_progress(world, api_as):
    data(world)
    rows = api_as("cm_c1_1").get("/api/v1/targets/").json()["results"]
    assert rows and {r["staff"] for r in rows} == {world.cm_c1_1.pk}
    assert {"actual", "expected", "gap", "forecast", "behind"} <= set(rows[0]["progress"])
    assert api_as("head_c1").get("/api/v1/targets/?level=unit").json()["count"] == 8


def test_a_split_that_does_not_add_up_is_refused_with_the_difference(world, api_as):
    target = data(world)["targets"]["contacts"]
    before = list(Target.objects.filter(parent=target).values_list("staff_id", "amount"))
    response = api_as("head_c1").post(f"/api/v1/targets/{target.pk}/split/",
                                      {"parts": {str(world.cm_c1_1.pk): "30"}}, format="json")
    assert response.status_code == 400
    assert "联系客户次数" in response.json()["parts"][0] and "+10.00" in response.json()["parts"][0]
    assert list(Target.objects.filter(parent=target).values_list("staff_id", "amount")) == before


@pytest.mark.parametrize("parts, word", [({"x": "1"}, "分解对象"), ({"1": "-3"}, "不小于0"), ({"1": "abc"}, "数字")])
def test_bad_parts_are_refused(world, api_as, parts, word):
    target = data(world)["targets"]["contacts"]
    if "1" in parts:
        parts = {str(world.cm_c1_1.pk): parts["1"]}
    response = api_as("head_c1").post(f"/api/v1/targets/{target.pk}/split/", {"parts": parts}, format="json")
    assert response.status_code == 400 and word in str(response.json())


def test_unknown_fields_and_a_stale_version_are_refused(world, api_as):
    target = data(world)["targets"]["contacts"]
    client = api_as("head_c1")
    assert client.post(f"/api/v1/targets/{target.pk}/split/", {"parts": {"1": "1"}, "x": 1},
                       format="json").status_code == 400
    response = client.post(f"/api/v1/targets/{target.pk}/split/",
                           {"parts": {str(world.cm_c1_1.pk): "20"}, "version": 999}, format="json")
    assert response.status_code == 409


def test_bad_query_parameters_are_named(world, api_as):
    client = api_as("head_c1")
    assert "kind" in client.get("/api/v1/targets/?kind=week").json()
    assert "period" in client.get("/api/v1/targets/?kind=month&period=2026-13").json()
    assert "month" in client.get("/api/v1/performance-sheets/?month=abc").json()


def test_the_sheet_has_the_breakdown_and_links_to_the_records(world, api_as):
    sheet = data(world)["sheet"]
    body = api_as("head_c1").get(f"/api/v1/performance-sheets/{sheet.pk}/").json()
    assert body["id"] == sheet.pk and body["month"] == sheet.month_label and not body["is_closed"]
    line = next(s for s in body["staff"] if s["user_id"] == world.cm_c1_1.pk)
    contacts = next(item for item in line["lines"] if item["code"] == "contacts")
    assert contacts["records_url"].endswith(f"/targets/sheets/{sheet.pk}/staff/{world.cm_c1_1.pk}/records/contacts/")
    own = api_as("cm_c1_1").get(f"/api/v1/performance-sheets/{sheet.pk}/").json()
    assert [s["user_id"] for s in own["staff"]] == [world.cm_c1_1.pk]
