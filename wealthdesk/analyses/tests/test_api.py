"""GET /api/v1/analyses/ (R36): one row per analysis, scoped, bad input answered 400 naming the field."""
import pytest

pytestmark = pytest.mark.django_db


def test_the_api_returns_the_six_analyses_with_ids(api_as, world, fx):
    response = api_as("head_c1").get(f"/api/v1/analyses/?period={fx.period.label}")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 6 and [r["kind"] for r in data["results"]][0] == "contribution"
    row = data["results"][0]
    assert row["id"] == f"contribution:{world.c1.pk}:{fx.period.label}" and row["unit"] == world.c1.pk
    figures = {f["key"]: f["value"] for f in row["figures"]}
    assert figures["customers"] == 10 and figures["top_20"] == round(6 / 8.5, 4)


def test_one_kind_with_its_narrative(api_as, login_as, world, fx):
    login_as("head_c1").post(f"/analyses/risk/?period={fx.period.label}", {"body": "已安排回访"})
    data = api_as("head_c1").get(f"/api/v1/analyses/?kind=risk&period={fx.period.label}").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["narrative"] == "已安排回访" and row["narrative_version"] == 1
    mismatches = next(t for t in row["tables"] if t["key"] == "mismatches")
    assert len(mismatches["rows"]) == 3 and all("测试客户" not in str(r) for r in mismatches["rows"])


@pytest.mark.parametrize("query, field, message", [
    ("period=2099H1", "period", "尚未开始"),
    ("period=1999H2", "period", "早于系统数据"),
    ("period=2026Q1", "period", "格式不正确"),
    ("kind=nosuch", "kind", "不存在"),
    ("unit=abc", "unit", ""),
])
def test_bad_parameters_answer_400_naming_the_field(api_as, world, fx, query, field, message):
    response = api_as("head_c1").get(f"/api/v1/analyses/?{query}")
    assert response.status_code == 400
    assert field in response.json() and message in " ".join(response.json()[field])


def test_a_unit_outside_the_subtree_is_404(api_as, world):
    assert api_as("head_c1").get(f"/api/v1/analyses/?unit={world.c2.pk}").status_code == 404
    assert api_as("hq_service").get(f"/api/v1/analyses/?unit={world.c2.pk}&kind=risk").status_code == 200


def test_no_data_answers_an_empty_reason(api_as, world):
    row = api_as("head_c2").get("/api/v1/analyses/?kind=channels").json()["results"][0]
    assert row["empty"] and row["tables"] == []
