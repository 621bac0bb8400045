"""Errors reach the eye (DESIGN rule 12): every htmx form, given bad input in a real browser, shows the server's
message — 400/409/422 fragments are swapped into the form, 403/404/5xx and a lost connection appear in the toast
area of the base layout. Also: Enter in the referral lookup runs the lookup, a saved dialog confirms itself, and the
complaint form's date input shows its ISO value."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wealthdesk.alerts.tests.helpers import make_alert
from wealthdesk.contacts.models import Appointment, ContactRecord
from wealthdesk.core.testing.browser import login, pick
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.referrals.models import Referral
from wealthdesk.referrals.tests.helpers import refer
from wealthdesk.worklogs import services as worklog_services
from wealthdesk.worklogs.models import Debrief

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_referral_lookup_with_the_wrong_kind_shows_the_reason(page, world):
    login(page, "teller_c1", PASSWORD)
    page.goto("/referrals/new/")
    page.select_option("select[name=lookup_kind]", "id_number")
    page.fill("input[name=lookup_value]", world.cust_a.mobile)
    page.click("[data-testid=lookup]")
    expect(page.locator("#lookup-result")).to_contain_text("请输入完整的身份证号码")
    assert Referral.objects.count() == 0


def test_enter_in_the_lookup_field_runs_the_lookup_and_submits_nothing(page, world):
    login(page, "teller_c1", PASSWORD)
    page.goto("/referrals/new/")
    page.select_option("select[name=lookup_kind]", "mobile")
    page.fill("input[name=lookup_value]", world.cust_a.mobile)
    page.press("input[name=lookup_value]", "Enter")
    expect(page.locator("[data-testid=lookup-result]")).to_contain_text("张*")
    assert page.url.endswith("/referrals/new/")
    assert Referral.objects.count() == 0


def test_server_failure_and_lost_connection_show_a_message(page, world):
    login(page, "teller_c1", PASSWORD)
    page.goto("/referrals/new/")
    page.fill("input[name=lookup_value]", world.cust_a.mobile)
    page.route("**/referrals/lookup/", lambda route: route.fulfill(status=500, body="<!doctype html><html>x</html>"))
    page.click("[data-testid=lookup]")
    expect(page.locator("[data-testid=toasts]")).to_contain_text("系统出错，操作未完成")
    page.unroute("**/referrals/lookup/")
    page.route("**/referrals/lookup/", lambda route: route.abort())
    page.click("[data-testid=lookup]")
    expect(page.locator("[data-testid=toasts]")).to_contain_text("无法连接服务器")


def test_workbench_contact_without_customer_shows_the_field_and_saving_confirms(page, world):
    login(page, "cm_c1_1", PASSWORD)
    page.goto("/worklogs/workbench/")
    page.click("[data-testid=quick-add]")
    dialog = page.locator("#wd-modal [data-testid=contact-form]")
    dialog.wait_for()
    dialog.locator("input[name=kind][value=phone]").check()
    dialog.locator("[data-testid=save-contact]").click()
    expect(page.locator("#wd-modal [data-error=customer]")).to_be_visible()
    expect(page.locator("#wd-modal [data-error=customer]")).to_contain_text("客户")
    assert ContactRecord.objects.count() == 0

    pick(dialog, "customer", "1234", "张伟")  # the last digits of the mobile
    dialog.locator("input[name=kind][value=phone]").check()
    dialog.locator("[data-testid=save-contact]").click()
    expect(page.locator("[data-testid=toasts]")).to_contain_text("联系记录已保存。")
    expect(page.locator("#wd-modal")).to_be_hidden()
    assert ContactRecord.objects.get().customer == world.cust_a


def test_appointment_dialog_without_time_shows_the_reason(page, world):
    login(page, "cm_c1_1", PASSWORD)
    page.goto("/contacts/appointments/")
    page.click("#appt-week button:has-text('新建预约')")
    form = page.locator("#wd-modal form")
    form.wait_for()
    form.locator("button[type=submit]").click()
    expect(page.locator("#wd-modal .invalid-feedback, #wd-modal .alert-danger").first).to_be_visible()
    assert Appointment.objects.count() == 0


def test_completing_an_appointment_with_a_bad_next_date_shows_the_reason(page, world):
    from wealthdesk.contacts import services as contact_services

    contact_services.appointment_create(actor=world.cm_c1_1, customer=world.cust_a, kind="phone",
                                        planned_at=timezone.now() + dt.timedelta(hours=1), place="", purpose="回访")
    login(page, "cm_c1_1", PASSWORD)
    page.goto("/contacts/appointments/")
    page.click("#appt-week button:has-text('完成')")
    form = page.locator("#wd-modal [data-testid=contact-form]")
    form.wait_for()
    form.locator("input[name=next_contact_on]").fill((timezone.localdate() - dt.timedelta(days=3)).isoformat())
    form.locator("[data-testid=save-contact]").click()
    expect(page.locator("#wd-modal [data-error=next_contact_on]")).to_contain_text("不能早于今天")
    assert ContactRecord.objects.count() == 0


def test_reveal_without_a_reason_says_so(page, world):
    login(page, "cm_c1_1", PASSWORD)
    page.goto(f"/customers/{world.cust_a.pk}/")
    page.click("form[data-reveal=mobile] button")
    expect(page.locator("#val-mobile")).to_contain_text("请填写查看明文的原因")
    assert world.cust_a.mobile not in page.inner_text("body")


def test_prospect_mobile_reveal_refused_shows_a_message(page, world):
    referral = refer(world, prospect=("赵六", "13700001111"))
    if referral.assigned_to_id != world.cm_c1_1.pk:
        Referral.objects.filter(pk=referral.pk).update(assigned_to=world.cm_c1_1)
    login(page, "cm_c1_1", PASSWORD)
    page.goto(f"/referrals/{referral.pk}/")
    Referral.objects.filter(pk=referral.pk).update(assigned_to=world.cm_c1_2)  # reassigned meanwhile
    page.click("[data-testid=reveal-mobile]")
    expect(page.locator("[data-testid=toasts] .alert-danger")).to_be_visible()
    assert "13700001111" not in page.inner_text("body")


def test_alert_close_without_measures_shows_the_field(page, world):
    alert = make_alert(world.cust_a)
    login(page, "cm_c1_1", PASSWORD)
    page.goto(f"/alerts/{alert.pk}/")
    page.click("[data-action=close]")
    form = page.locator("#wd-modal [data-testid=action-form]")
    form.wait_for()
    form.locator("select[name=reason]").select_option("other")
    form.locator("button[type=submit]").click()
    expect(page.locator("#wd-modal [data-error-for=measures]")).to_be_visible()


def test_debrief_already_recorded_elsewhere_shows_the_reason_in_its_row(page, world):
    login(page, "head_c1", PASSWORD)
    page.goto("/worklogs/team/")
    row = page.locator("[data-manager=cm_c1_1]")
    row.locator("[data-testid=debrief-face]").wait_for()
    worklog_services.debrief_record(actor=world.head_c1, staff=world.cm_c1_1, debrief_date=timezone.localdate(),
                                    mode="phone", note="")  # another tab recorded it meanwhile
    row.locator("[data-testid=debrief-face]").click()
    expect(page.locator("[data-manager=cm_c1_1] [data-testid=debrief-error]")).to_contain_text("已登记")
    assert Debrief.objects.count() == 1


def test_complaint_form_shows_todays_received_on(page, world):
    login(page, "head_c1", PASSWORD)
    page.goto("/complaints/new/")
    assert page.input_value("input[name=received_on]") == timezone.localdate().isoformat()
