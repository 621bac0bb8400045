"""The daily log page (R9, R11): the known figures carry the form's labels in the form's order and only figures that
map to a field; products sold are pre-filled from the core-banking sales; the day's contacts are offered for
关系维护; a reviewer gets a "next log" link and no review form once the log is reviewed."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from wealthdesk.contacts.tests.factories import make_contact
from wealthdesk.corebanking.models import Product, Transaction
from wealthdesk.corebanking.tests.helpers import PRODUCTS, load
from wealthdesk.worklogs import services
from wealthdesk.worklogs.services import FIELD_METRICS

pytestmark = pytest.mark.django_db


def _submitted(world, user, day):
    log = services.daily_log_create(actor=user, log_date=day)
    return services.daily_log_save(actor=user, log=log, version=log.version, submit=True)


def test_known_figures_use_the_form_labels_and_order_and_only_fields(world, login_as):
    log = services.daily_log_for_today(actor=world.cm_c1_1)
    html = login_as("cm_c1_1").get(f"/worklogs/logs/{log.pk}/").content.decode()
    panel = html.split('data-testid="known-figures"')[1].split("</table>")[0]
    fields = re.findall(r'data-field="([a-z_]+)"', panel)
    assert fields == list(FIELD_METRICS)  # the form's order: 联系客户数, 新增客户数, 销售金额, 跟进推介数
    labels = re.findall(r"<td>([^<]+)</td>", panel)
    assert labels == ["联系客户数", "新增客户数", "销售金额（元）", "跟进推介数"]
    assert "联系客户次数" not in panel and "受理投诉数" not in panel and "推介客户数" not in panel


def test_known_figures_of_an_older_log_still_show_under_the_form_label(world, login_as):
    log = _submitted(world, world.cm_c1_1, timezone.localdate())
    type(log).objects.filter(pk=log.pk).update(figures={"contacts": {"label": "联系客户次数", "value": 3, "unit": ""},
                                                        "complaints_received": {"label": "x", "value": 1}})
    html = login_as("head_c1").get(f"/worklogs/logs/{log.pk}/").content.decode()
    panel = html.split('data-testid="known-figures"')[1].split("</table>")[0]
    assert re.findall(r'data-field="([a-z_]+)"', panel) == ["customers_contacted"] and "联系客户数" in panel


def test_products_sold_are_prefilled_from_the_days_sales(world):
    load("products", world.hq_service, PRODUCTS)
    wmp = Product.objects.get(code="WMP001")
    at = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(10)))
    common = dict(customer=world.cust_a, account_no="1", occurred_at=at, channel="counter",
                  counterparty_kind="own_bank", product=wmp, direction="out")
    Transaction.objects.create(external_id="S1", amount=Decimal("50000"), **common)
    Transaction.objects.create(external_id="S2", amount=Decimal("150000"), **common)
    log = services.daily_log_for_today(actor=world.cm_c1_1)
    assert log.products_sold == f"{wmp.name} 200,000.00 元（2 笔）"
    assert log.sales_amount == Decimal("200000")


def test_todays_contacts_are_offered_for_relationship_maintenance(world, login_as):
    make_contact(world.cust_a, world.cm_c1_1, timezone.localdate(), purpose="季度回访")
    log = services.daily_log_for_today(actor=world.cm_c1_1)
    html = login_as("cm_c1_1").get(f"/worklogs/logs/{log.pk}/").content.decode()
    box = html.split('data-suggest="relationship_maintenance"')[1].split("</div>")[0]
    assert "张伟" in box and "季度回访" in box and 'data-fill="#id_relationship_maintenance"' in box


def test_reviewer_gets_a_next_log_link_and_no_form_after_review(world, login_as):
    day = timezone.localdate()
    first = _submitted(world, world.cm_c1_1, day)
    second = _submitted(world, world.cm_c1_2, day)
    client = login_as("head_c1")
    html = client.get(f"/worklogs/logs/{first.pk}/").content.decode()
    assert f'href="/worklogs/logs/{second.pk}/" data-testid="next-log"' in html and 'data-testid="review-form"' in html
    client.post(f"/worklogs/logs/{first.pk}/review/", {"comment": "好"})
    html = client.get(f"/worklogs/logs/{first.pk}/").content.decode()
    assert 'data-testid="review-form"' not in html  # reviewed: the form is gone
    assert f'href="/worklogs/logs/{second.pk}/" data-testid="next-log"' in html
    client.post(f"/worklogs/logs/{second.pk}/review/", {"comment": "好"})
    html = client.get(f"/worklogs/logs/{second.pk}/").content.decode()
    assert 'data-testid="next-log"' not in html and 'data-testid="no-next-log"' in html


def test_known_figures_and_the_referral_trend_speak_english(world, login_as, restore_language):
    from django.utils import translation

    from wealthdesk.referrals.selectors import trend_option

    log = services.daily_log_for_today(actor=world.cm_c1_1)
    client = login_as("cm_c1_1")
    client.cookies["django_language"] = "en"
    html = client.get(f"/worklogs/logs/{log.pk}/").content.decode()
    panel = html.split('data-testid="known-figures"')[1].split("</table>")[0]
    assert "Customers contacted" in panel and "联系客户" not in panel
    with translation.override("en"):
        option = trend_option({"labels": [], "made": [], "converted": [], "invalid": []})
    assert option["legend"]["data"] == ["Referrals", "Conversion", "Invalid"]
