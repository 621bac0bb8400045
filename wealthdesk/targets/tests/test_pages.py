"""The pages: bad input shown with its reason (and nothing changed), fixed query counts on the lists, each score
opening its records."""
import pytest

from wealthdesk.contacts.tests.factories import make_contact
from wealthdesk.targets.models import PerformanceSheet, Target

from .helpers import data, indicators, last_month

pytestmark = pytest.mark.django_db


def test_the_split_page_shows_why_the_parts_are_refused(world, login_as):
    target = data(world)["targets"]["contacts"]
    client = login_as("head_c1")
    response = client.post(f"/targets/{target.pk}/", {f"part_{world.cm_c1_1.pk}": "1", "version": target.version})
    assert response.status_code == 400
    assert "各部分之和必须等于整体" in response.content.decode()
    assert Target.objects.get(parent=target, staff=world.cm_c1_1).amount != 1


def test_the_plan_page_names_the_weights_that_do_not_add_up(world, login_as):
    indicators()
    client = login_as("head_c1")
    response = client.post("/targets/plan/", {"kind": "month", "period": "2026-05", "amount_contacts": "10",
                                              "weight_contacts": "40"})
    assert response.status_code == 400 and "应为 100" in response.content.decode()
    response = client.post("/targets/plan/", {"kind": "month", "period": "2026-13", "amount_contacts": "10",
                                              "weight_contacts": "100"})
    assert response.status_code == 400 and "期间格式不正确" in response.content.decode()
    assert not Target.objects.filter(period_start__month=5).exists()
    response = client.post("/targets/plan/", {"kind": "month", "period": "2026-05", "amount_contacts": "10",
                                              "weight_contacts": "100"})
    assert response.status_code == 302 and Target.objects.filter(period_start__month=5, unit=world.c1).count() == 1


def test_a_bad_period_in_the_list_is_a_400(world, login_as):
    assert login_as("head_c1").get("/targets/?kind=month&period=abc").status_code == 400
    assert login_as("head_c1").get("/targets/sheets/?month=2026-13").status_code == 400


def test_the_lists_have_a_fixed_number_of_queries(world, login_as, django_assert_max_num_queries):
    d = data(world)
    client = login_as("head_c1")
    client.get("/targets/")
    with django_assert_max_num_queries(40):
        assert client.get("/targets/").status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get("/targets/sheets/").status_code == 200
    for m in (1, 2, 3):
        PerformanceSheet.objects.create(unit=world.c1, period_start=last_month().replace(year=2020, month=m))
    with django_assert_max_num_queries(55):
        assert client.get("/targets/sheets/").status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(f"/targets/sheets/{d['sheet'].pk}/").status_code == 200


def test_a_score_opens_the_records_behind_it(world, login_as):
    d = data(world)
    make_contact(world.cust_a, world.cm_c1_1, last_month().replace(day=6))
    client = login_as("cm_c1_1")
    page = client.get(f"/targets/sheets/{d['sheet'].pk}/staff/{world.cm_c1_1.pk}/").content.decode()
    assert f"/targets/sheets/{d['sheet'].pk}/staff/{world.cm_c1_1.pk}/records/contacts/" in page
    records = client.get(f"/targets/sheets/{d['sheet'].pk}/staff/{world.cm_c1_1.pk}/records/contacts/")
    assert records.status_code == 200 and records.content.decode().count('data-testid="record-row"') == 1
    assert client.get(f"/targets/sheets/{d['sheet'].pk}/staff/{world.cm_c1_1.pk}/records/nope/").status_code == 404


def test_the_head_closes_the_month_and_a_second_close_is_refused(world, login_as):
    sheet = data(world)["sheet"]
    client = login_as("head_c1")
    assert client.post(f"/targets/sheets/{sheet.pk}/", {"action": "close", "version": sheet.version}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.is_closed
    response = client.post(f"/targets/sheets/{sheet.pk}/", {"action": "adjust", "staff": world.cm_c1_1.pk,
                                                            "points": "1", "reason": "x", "version": sheet.version})
    assert response.status_code == 400 and "已月结" in response.content.decode()


def test_upper_levels_see_each_centers_average_score(world, login_as):
    sheet = data(world)["sheet"]
    body = login_as("branch1_service").get("/targets/sheets/").content.decode()
    assert f"/targets/sheets/{sheet.pk}/" in body and 'data-testid="average"' in body
    assert 'data-testid="average"' not in login_as("cm_c1_1").get("/targets/sheets/").content.decode()
