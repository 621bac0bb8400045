"""Daily log (R9), debrief (R10) and review (R11): pre-filled figures confirmed and frozen, help-needed items as
rows, one log a day, optimistic locking, read-only after submission, supervisors only, summary and Excel."""
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wealthdesk.contacts.models import Appointment
from wealthdesk.contacts.tests.factories import make_contact
from wealthdesk.core.audit import audited_update
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.testing.exports import download
from wealthdesk.staff.models import StaffRole, Team, User
from wealthdesk.worklogs import selectors, services
from wealthdesk.worklogs.choices import HelpStatus, LogStatus
from wealthdesk.worklogs.models import DailyLog, Debrief, HelpRequest

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_new_log_is_prefilled_with_the_days_contacts(world):
    make_contact(world.cust_a, world.cm_c1_1, today(), hour=0)
    log = services.daily_log_for_today(actor=world.cm_c1_1)
    assert log.customers_contacted == 1
    assert log.figures["customers_contacted"]["value"] == 1


def test_submitted_figures_do_not_change_when_contacts_are_added_later(world):
    log = services.daily_log_for_today(actor=world.cm_c1_1)
    make_contact(world.cust_a, world.cm_c1_1, today(), hour=0)
    log = services.daily_log_save(actor=world.cm_c1_1, log=log, version=log.version, submit=True)
    assert log.figures["customers_contacted"]["value"] == 1
    make_contact(world.cust_a, world.cm_c1_1, today(), hour=0)
    log.refresh_from_db()
    assert log.figures["customers_contacted"]["value"] == 1


def test_a_second_log_for_the_same_day_is_refused(world):
    services.daily_log_create(actor=world.cm_c1_1, log_date=today())
    with pytest.raises(ValidationError) as exc:
        services.daily_log_create(actor=world.cm_c1_1, log_date=today())
    assert "每天只能填写一份" in exc.value.message_dict["log_date"][0]
    assert DailyLog.objects.count() == 1


def test_the_later_of_two_saves_from_the_same_version_is_refused(world):
    log = services.daily_log_for_today(actor=world.cm_c1_1)
    read_version = log.version
    services.daily_log_save(actor=world.cm_c1_1, log=log, version=read_version, difficulties="客户对净值波动有顾虑")
    with pytest.raises(ValidationError) as exc:
        services.daily_log_save(actor=world.cm_c1_1, log=log, version=read_version, difficulties="另一窗口的内容")
    assert "已在别处被修改" in exc.value.message_dict["version"][0]
    log.refresh_from_db()
    assert log.difficulties == "客户对净值波动有顾虑" and log.version == read_version + 1


def test_stale_form_is_refused_with_a_message_on_the_page(login_as, world):
    log = services.daily_log_for_today(actor=world.cm_c1_1)
    client = login_as("cm_c1_1")
    fields = {"version": log.version, "customers_contacted": 0, "new_customers": 0, "sales_amount": "0",
              "referrals_followed": 0, "difficulties": "第一次"}
    assert client.post(f"/worklogs/logs/{log.pk}/", fields).status_code == 302
    response = client.post(f"/worklogs/logs/{log.pk}/", {**fields, "difficulties": "第二次"})
    assert response.status_code == 409
    assert "已在别处被修改" in response.content.decode()
    log.refresh_from_db()
    assert log.difficulties == "第一次"


def test_api_stale_version_answers_409(api_as, world):
    log = services.daily_log_for_today(actor=world.cm_c1_1)
    api = api_as("cm_c1_1")
    assert api.patch(f"/api/v1/daily-logs/{log.pk}/", {"version": log.version, "difficulties": "甲"},
                     format="json").status_code == 200
    response = api.patch(f"/api/v1/daily-logs/{log.pk}/", {"version": log.version, "difficulties": "乙"},
                         format="json")
    assert response.status_code == 409 and "version" in response.json()


def test_submitted_log_is_read_only_until_the_reviewer_reopens_it(world):
    log = services.daily_log_for_today(actor=world.cm_c1_1)
    log = services.daily_log_save(actor=world.cm_c1_1, log=log, version=log.version, submit=True)
    with pytest.raises(ValidationError) as exc:
        services.daily_log_save(actor=world.cm_c1_1, log=log, version=log.version, difficulties="改")
    assert "只读" in exc.value.message_dict["status"][0]
    log = services.daily_log_reopen(actor=world.head_c1, log=log, reason="请补充销售金额")
    log = services.daily_log_save(actor=world.cm_c1_1, log=log, version=log.version, difficulties="改")
    assert log.status == LogStatus.REOPENED and log.difficulties == "改"


def test_each_help_needed_line_becomes_its_own_open_item(world):
    log = services.daily_log_for_today(actor=world.cm_c1_1)
    log = services.daily_log_save(actor=world.cm_c1_1, log=log, version=log.version, submit=True,
                                  difficulties="大额赎回客户挽留困难", help_needed="需要产品经理支持\n需要分行审批额度\n")
    items = HelpRequest.objects.filter(log=log).order_by("id")
    assert [h.text for h in items] == ["需要产品经理支持", "需要分行审批额度"]
    assert {h.status for h in items} == {HelpStatus.OPEN}
    with pytest.raises(ValidationError):
        services.help_request_update(actor=world.head_c1, help_request=items[0], status=HelpStatus.RESOLVED)
    services.help_request_update(actor=world.head_c1, help_request=items[0], status=HelpStatus.RESOLVED,
                                 resolution="已协调产品经理周三陪访")
    assert HelpRequest.objects.get(pk=items[0].pk).resolved_at is not None


def test_head_and_team_lead_review_with_a_comment_but_a_peer_cannot(world):
    log = services.daily_log_for_today(actor=world.cm_c1_1)
    log = services.daily_log_save(actor=world.cm_c1_1, log=log, version=log.version, submit=True)
    with pytest.raises(PermissionDenied):
        services.daily_log_review(actor=world.cm_c1_2, log=log, comment="不错")
    with pytest.raises(PermissionDenied):
        services.daily_log_review(actor=world.head_c2, log=log, comment="不错")
    log = services.daily_log_review(actor=world.lead_c1, log=log, comment="注意跟进到期客户")
    assert log.status == LogStatus.REVIEWED and log.reviewed_by == world.lead_c1


def test_debrief_for_someone_not_supervised_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.debrief_record(actor=world.head_c1, staff=world.cm_c2_1, debrief_date=today())
    assert exc.value.message_dict["staff"] == ["只能为您直接管理的客户经理登记汇报。"]
    other_lead = User.objects.create(username="lead_c1_b", unit=world.c1)
    StaffRole.objects.create(user=other_lead, role="team_lead")
    Team.objects.create(unit=world.c1, name="朝阳二组", lead=other_lead)
    with pytest.raises(ValidationError):
        services.debrief_record(actor=other_lead, staff=world.cm_c1_1, debrief_date=today())
    assert Debrief.objects.count() == 0


def test_debrief_twice_the_same_day_is_refused(world):
    services.debrief_record(actor=world.lead_c1, staff=world.cm_c1_1, debrief_date=today(), mode="phone")
    with pytest.raises(ValidationError) as exc:
        services.debrief_record(actor=world.head_c1, staff=world.cm_c1_1, debrief_date=today())
    assert "已登记" in exc.value.message_dict["debrief_date"][0]


def test_debrief_in_two_clicks_from_the_heads_view(login_as, world):
    client = login_as("head_c1")
    html = client.get("/worklogs/team/").content.decode()
    assert 'data-manager="cm_c1_1"' in html
    response = client.post("/worklogs/debriefs/new/", {"staff": world.cm_c1_1.pk, "debrief_date": today().isoformat(),
                                                       "mode": "face"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-testid="debriefed"' in response.content.decode()
    assert Debrief.objects.get().supervisor == world.head_c1


def test_api_debrief_for_someone_not_supervised_names_the_field(api_as, world):
    response = api_as("head_c1").post("/api/v1/debriefs/", {"staff": world.cm_c2_1.pk,
                                                            "debrief_date": today().isoformat(), "mode": "face"},
                                      format="json")
    assert response.status_code == 400 and "staff" in response.json()
    assert Debrief.objects.count() == 0


def _submitted(world, user, day, **fields):
    return DailyLog.objects.create(staff=world.users[user], center=world.c1, log_date=day,
                                   status=LogStatus.SUBMITTED, submitted_at=timezone.now(), **fields)


def test_missing_logs_and_debriefs_are_listed_by_working_day(world):
    monday = dt.date(2026, 11, 23)
    _submitted(world, "cm_c1_1", monday)
    Debrief.objects.create(staff=world.cm_c1_2, supervisor=world.head_c1, center=world.c1, debrief_date=monday)
    days = selectors.missing_by_day(world.head_c1, monday, dt.date(2026, 11, 24))
    assert [d["date"] for d in days] == [dt.date(2026, 11, 24), monday]
    assert [m.username for m in days[1]["missing_logs"]] == ["cm_c1_2"]
    assert [m.username for m in days[1]["missing_debriefs"]] == ["cm_c1_1"]
    assert {m.username for m in days[0]["missing_logs"]} == {"cm_c1_1", "cm_c1_2"}


def test_week_summary_counts_logs_against_working_days_and_totals(world):
    monday = dt.date(2026, 11, 23)
    _submitted(world, "cm_c1_1", monday, customers_contacted=5, sales_amount=100000, difficulties="客户流失")
    _submitted(world, "cm_c1_1", monday + dt.timedelta(days=1), customers_contacted=3)
    DailyLog.objects.create(staff=world.cm_c1_2, center=world.c1, log_date=monday)  # a draft does not count
    result = selectors.summary(world.head_c1, monday, monday + dt.timedelta(days=6))
    rows = {r["manager"].username: r for r in result["rows"]}
    assert result["working_days"] == 5
    assert (rows["cm_c1_1"]["logs"], rows["cm_c1_1"]["contacted"], rows["cm_c1_1"]["sales"]) == (2, 8, 100000)
    assert rows["cm_c1_2"]["logs"] == 0 and result["totals"]["expected"] == 10
    assert [log.difficulties for log in selectors.difficulties(world.head_c1, monday, monday + dt.timedelta(days=6))
            ] == ["客户流失"]


def test_excel_daily_log_has_the_handbook_title_and_headers_and_is_audited(login_as, world):
    _submitted(world, "cm_c1_1", today(), products_sold="基金 50 万", difficulties="无")
    response = login_as("head_c1").get(f"/worklogs/logs/export/?start={today().isoformat()}")
    ws = openpyxl.load_workbook(io.BytesIO(download(response))).active
    assert ws["A1"].value == "《客户经理日志》"
    assert "朝阳理财中心" in ws["A2"].value
    assert [c.value for c in ws[4]][:3] == ["日期", "客户经理", "状态"]
    assert ws["A5"].value == today().isoformat() and ws["F5"].value == "基金 50 万"
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="worklogs.dailylog").count() == 1


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url", ["/worklogs/logs/", "/worklogs/team/", "/worklogs/summary/?period=month",
                                 "/worklogs/missing/", "/worklogs/debriefs/"])
def test_list_pages_keep_the_same_number_of_queries_with_few_and_many_rows(login_as, world, url,
                                                                            django_assert_max_num_queries):
    first = _submitted(world, "cm_c1_1", today(), difficulties="困难", help_needed="需要支持")
    HelpRequest.objects.create(log=first, staff=first.staff, center=world.c1, text="需要支持")
    Debrief.objects.create(staff=first.staff, supervisor=world.head_c1, center=world.c1, debrief_date=today())
    client = login_as("head_c1")
    client.get(url)
    few = _queries(client, url)
    for i in range(1, 25):
        log = _submitted(world, "cm_c1_1" if i % 2 else "cm_c1_2", today() - dt.timedelta(days=i),
                         difficulties=f"困难{i}", help_needed="需要支持")
        HelpRequest.objects.create(log=log, staff=log.staff, center=world.c1, text=f"需要支持{i}")
        Debrief.objects.create(staff=log.staff, supervisor=world.head_c1, center=world.c1, debrief_date=log.log_date)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


def _vip(world, n, birthday):
    from wealthdesk.customers.models import Customer

    c = Customer.objects.create(cif_no=f"W{n:08d}", name=f"贵宾{n}", id_type="other", id_number=f"W{n}",
                                center=world.c1, client_manager=world.cm_c1_1, tier="private", birth_date=birthday)
    audited_update(Customer.objects.filter(pk=c.pk), actor=None, what="test set-up", created_at=timezone.now() - dt.timedelta(days=120))
    Appointment.objects.create(customer=c, staff=world.cm_c1_1, planned_at=timezone.now() + dt.timedelta(minutes=n))
    return c


def test_workbench_keeps_the_same_number_of_queries_with_few_and_many_customers(login_as, world,
                                                                                django_assert_max_num_queries):
    birthday = today().replace(year=1972)  # a leap year, so 29 February works too
    _vip(world, 0, birthday)
    client = login_as("cm_c1_1")
    client.get("/worklogs/workbench/")
    few = _queries(client, "/worklogs/workbench/")
    for n in range(1, 20):
        _vip(world, n, birthday)
    with django_assert_max_num_queries(few):
        html = client.get("/worklogs/workbench/").content.decode()
    assert "贵宾19" in html


def test_client_manager_lands_on_the_workbench_and_head_on_the_team_view(login_as, world):
    assert login_as("cm_c1_1").get("/")["Location"] == "/worklogs/workbench/"
    assert login_as("head_c1").get("/")["Location"] == "/worklogs/team/"


def test_api_second_log_for_the_day_and_unknown_fields_are_refused(api_as, world):
    api = api_as("cm_c1_1")
    day = today().isoformat()
    first = api.post("/api/v1/daily-logs/", {"log_date": day, "difficulties": "无", "submit": True}, format="json")
    assert first.status_code == 201 and first.json()["status"] == LogStatus.SUBMITTED and first.json()["id"]
    again = api.post("/api/v1/daily-logs/", {"log_date": day}, format="json")
    assert again.status_code == 400 and "每天只能填写一份" in again.json()["log_date"][0]
    unknown = api.post("/api/v1/daily-logs/", {"log_date": day, "status": "reviewed", "mood": "好"}, format="json")
    assert unknown.status_code == 400 and set(unknown.json()) == {"status", "mood"}
    assert DailyLog.objects.count() == 1


def test_api_review_is_an_action_on_the_daily_log(api_as, world):
    log = services.daily_log_for_today(actor=world.cm_c1_1)
    services.daily_log_save(actor=world.cm_c1_1, log=log, version=log.version, submit=True)
    body = api_as("head_c1").post(f"/api/v1/daily-logs/{log.pk}/review/", {"comment": "已阅"}, format="json").json()
    assert body["status"] == LogStatus.REVIEWED and body["review_comment"] == "已阅"
