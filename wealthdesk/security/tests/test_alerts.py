"""Issue 15, access alerts for the security officer (ASVS 16.3.3): many distinct customers viewed in a day, reveals
past the cap, exports outside working hours, failed sign-ins from many addresses — raised once, audited, notified;
the officer's page and API, closing with a note, and everybody else kept out."""
import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from wealthdesk.core.audit import audit_record
from wealthdesk.core.models import AuditAction, AuditLog, Notification
from wealthdesk.core.params import set_param
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.security import alerts
from wealthdesk.security.choices import AlertKind, AlertStatus
from wealthdesk.security.models import SecurityAlert

pytestmark = pytest.mark.django_db


def views_of(user, customers):
    for customer in customers:
        audit_record(actor=user, action=AuditAction.VIEW, obj=customer)


def at_local(hour, day=None):
    day = day or timezone.localdate()
    return dt.datetime.combine(day, dt.time(hour, 5), tzinfo=timezone.get_current_timezone())


def test_many_distinct_customers_in_a_day_raise_one_alert(world, officers, django_capture_on_commit_callbacks):
    set_param("security.alert.customers_per_day", 1)
    customers = list(world.customers.values())
    views_of(world.head_c1, customers * 3)  # the same customers again and again count once each
    with django_capture_on_commit_callbacks(execute=True):
        raised = alerts.scan(timezone.localdate())
    (alert,) = raised
    assert alert.kind == AlertKind.MANY_CUSTOMERS and alert.user == world.head_c1
    assert alert.count == len({c.pk for c in customers}) and alert.threshold == 1 and alert.unit == world.c1
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_type="security.securityalert").count() == 1
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"officer_hq", "officer_b1"}
    assert alerts.scan(timezone.localdate()) == []  # once a day
    assert SecurityAlert.objects.count() == 1


def test_below_the_threshold_nothing(world, officers):
    views_of(world.head_c1, world.customers.values())
    assert alerts.scan(timezone.localdate()) == []


def test_reveals_past_the_cap(world, officers):
    from wealthdesk.core.reveal import RevealCapReached, check_reveal_cap

    set_param("reveal.daily_cap", 1)
    check_reveal_cap(actor=world.cm_c1_1)
    with pytest.raises(RevealCapReached):
        check_reveal_cap(actor=world.cm_c1_1)
    (alert,) = alerts.scan(timezone.localdate())
    assert alert.kind == AlertKind.REVEAL_CAP and alert.username == "cm_c1_1" and alert.threshold == 1


def test_exports_outside_working_hours(world, officers):
    day = dt.date(2026, 12, 2)  # a Wednesday
    for hour in (7, 10, 21):
        with mock.patch("django.utils.timezone.now", return_value=at_local(hour, day)):
            audit_record(actor=world.cm_c1_1, action=AuditAction.EXPORT, detail={"rows": 3})
    (alert,) = alerts.scan(day)
    assert alert.kind == AlertKind.OFF_HOURS_EXPORT and alert.count == 2
    assert alert.detail["times"] == ["07:05", "21:05"] and alert.detail["working_day"] is True


def test_any_export_on_a_day_off(world, officers):
    day = dt.date(2026, 12, 5)  # a Saturday
    with mock.patch("django.utils.timezone.now", return_value=at_local(10, day)):
        audit_record(actor=world.cm_c1_1, action=AuditAction.EXPORT)
    (alert,) = alerts.scan(day)
    assert alert.detail["working_day"] is False


def test_failed_sign_ins_from_many_addresses(client, world, officers):
    for i in range(5):
        client.post("/accounts/login/", {"username": "head_c2", "password": "wrong-password-x"},
                    REMOTE_ADDR=f"10.7.0.{i}")
    client.post("/accounts/login/", {"username": "nobody-known", "password": "x"}, REMOTE_ADDR="10.7.1.1")
    raised = alerts.scan(timezone.localdate())
    (alert,) = raised
    assert alert.kind == AlertKind.FAILED_LOGINS and alert.username == "head_c2" and alert.count == 5
    assert alert.detail["addresses"] == [f"10.7.0.{i}" for i in range(5)]
    assert alert.unit == world.c2


def test_the_command_scans_a_day_and_refuses_a_bad_date(world, officers):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("security_scan", "--date", "2026-12-01", stdout=out)
    assert "2026-12-01: 0 new alert(s)" in out.getvalue()
    with pytest.raises(CommandError) as exc:
        call_command("security_scan", "--date", "2026-13-01")
    assert "--date" in str(exc.value)


# --- the officer's pages and API -----------------------------------------------------------------------------

@pytest.fixture
def two_alerts(world, officers):
    today = timezone.localdate()
    c1 = SecurityAlert.objects.create(kind=AlertKind.MANY_CUSTOMERS, user=world.cm_c1_1, username="cm_c1_1",
                                      unit=world.c1, day=today, count=250, threshold=200)
    c2 = SecurityAlert.objects.create(kind=AlertKind.REVEAL_CAP, user=world.cm_c2_1, username="cm_c2_1",
                                      unit=world.c2, day=today, count=3, threshold=20)
    return c1, c2


def test_the_officer_lists_filters_opens_and_closes_an_alert(login_as, world, two_alerts):
    c1, c2 = two_alerts
    client = login_as("officer_hq")
    page = client.get("/security/alerts/").content.decode()
    assert f'data-alert="{c1.pk}"' in page and f'data-alert="{c2.pk}"' in page
    only = client.get("/security/alerts/?kind=reveal_cap").content.decode()
    assert f'data-alert="{c1.pk}"' not in only and f'data-alert="{c2.pk}"' in only
    bad = client.get("/security/alerts/?kind=nonsense&status=x").content.decode()
    assert "类型“nonsense”不存在。" in bad and "状态“x”不存在。" in bad
    detail = client.get(f"/security/alerts/{c1.pk}/")
    assert detail.status_code == 200 and "250" in detail.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.VIEW, object_type="security.securityalert").exists()

    empty = client.post(f"/security/alerts/{c1.pk}/close/", {"note": "  "}, follow=True)
    assert "请填写处理说明（核实情况与处理结果）。" in empty.content.decode()
    c1.refresh_from_db()
    assert c1.status == AlertStatus.OPEN

    done = client.post(f"/security/alerts/{c1.pk}/close/", {"note": "已与本人核实：批量回访。"}, follow=True)
    assert "告警已处理。" in done.content.decode()
    c1.refresh_from_db()
    assert c1.status == AlertStatus.CLOSED and c1.closed_by == world.officer_hq
    assert AuditLog.objects.filter(action=AuditAction.CHANGE, detail__what="security_alert_close").count() == 1
    again = client.post(f"/security/alerts/{c1.pk}/close/", {"note": "再次"}, follow=True)
    assert "该告警已由 officer_hq 处理。" in again.content.decode()


def test_the_scan_now_button(login_as, world, officers):
    set_param("security.alert.customers_per_day", 1)
    views_of(world.cm_c1_1, world.customers.values())
    response = login_as("officer_hq").post("/security/alerts/scan/", follow=True)
    assert "扫描完成，新增告警" in response.content.decode()


def test_a_branch_officer_sees_only_the_branch(login_as, world, two_alerts):
    c1, c2 = two_alerts
    client = login_as("officer_b1")
    assert client.get(f"/security/alerts/{c1.pk}/").status_code == 200
    assert client.get(f"/security/alerts/{c2.pk}/").status_code == 404
    assert client.post(f"/security/alerts/{c2.pk}/close/", {"note": "x"}).status_code == 404


@pytest.mark.parametrize("name", ["head_c1", "auditor", "admin", "cm_c1_1", "hq_service", "teller_c1"])
def test_everybody_else_gets_403(login_as, api_as, world, two_alerts, name):
    c1, _c2 = two_alerts
    client = login_as(name)
    for url in ("/security/alerts/", f"/security/alerts/{c1.pk}/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/security/alerts/{c1.pk}/close/", {"note": "x"}).status_code == 403
    assert client.post("/security/alerts/scan/").status_code == 403
    api = api_as(name)
    assert api.get("/api/v1/security/alerts/").status_code == 403
    assert api.get(f"/api/v1/security/alerts/{c1.pk}/").status_code == 403
    assert api.post(f"/api/v1/security/alerts/{c1.pk}/close/", {"note": "x"}, format="json").status_code == 403
    c1.refresh_from_db()
    assert c1.status == AlertStatus.OPEN


def test_the_officer_has_no_customer_data(login_as, api_as, world, officers):
    assert login_as("officer_hq").get("/customers/").status_code == 403
    assert api_as("officer_hq").get("/api/v1/customers/").status_code == 403


def test_the_api(api_as, world, two_alerts):
    c1, c2 = two_alerts
    api = api_as("officer_b1")
    listing = api.get("/api/v1/security/alerts/").json()
    assert [r["id"] for r in listing["results"]] == [c1.pk]
    assert api.get(f"/api/v1/security/alerts/{c2.pk}/").status_code == 404
    bad = api.post(f"/api/v1/security/alerts/{c1.pk}/close/", {"note": "", "extra": 1}, format="json")
    assert bad.status_code == 400 and "extra" in bad.json()
    blank = api.post(f"/api/v1/security/alerts/{c1.pk}/close/", {"note": "   "}, format="json")
    assert blank.status_code == 400 and "note" in blank.json()
    ok = api.post(f"/api/v1/security/alerts/{c1.pk}/close/", {"note": "已核实"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "closed"
    twice = api.post(f"/api/v1/security/alerts/{c1.pk}/close/", {"note": "再次"}, format="json")
    assert twice.status_code == 409 and "status" in twice.json()
    assert api_as("officer_hq").get("/api/v1/security/alerts/", {"status": "open"}).json()["count"] == 1


@pytest.mark.parametrize("rows", [2, 30])
def test_the_list_page_keeps_its_query_count(login_as, world, officers, django_assert_max_num_queries, rows):
    SecurityAlert.objects.bulk_create([
        SecurityAlert(kind=AlertKind.FAILED_LOGINS, username=f"u{i}", unit=world.c1, day=timezone.localdate(),
                      count=5, threshold=5) for i in range(rows)])
    client = login_as("officer_hq")
    with django_assert_max_num_queries(12):
        assert client.get("/security/alerts/").status_code == 200


def test_anonymous(client, api_client, world):
    assert client.get("/security/alerts/").status_code == 302
    assert api_client.get("/api/v1/security/alerts/").status_code in (401, 403)
    assert PASSWORD
