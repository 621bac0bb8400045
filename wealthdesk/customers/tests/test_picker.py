"""The search-as-you-type customer picker (core.picker + /customers/pick/): scoped with visible_to, names as in
the customer list, mobiles masked, by name or the last digits of the mobile, at most 20 results."""
from decimal import Decimal

import pytest

from wealthdesk.contacts.forms import AppointmentForm, ContactForm
from wealthdesk.core.audit import audited_update
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer

pytestmark = pytest.mark.django_db


def _results(client, **params):
    response = client.get("/customers/pick/", params)
    assert response.status_code == 200
    return response.json()


def test_search_by_name_is_scoped_and_masked(world, login_as):
    data = _results(login_as("cm_c1_1"), q="张")
    assert [r["label"].split("（")[0] for r in data["results"]] == ["张伟"]
    assert data["results"][0]["id"] == world.cust_a.pk
    assert "138****1234" in data["results"][0]["detail"] and "13812341234" not in str(data)
    assert _results(login_as("cm_c1_1"), q="王")["results"] == []  # 王芳 is a C2 customer
    assert [r["label"].split("（")[0] for r in _results(login_as("head_c1"), q="李")["results"]] == ["李娜"]


def test_search_by_the_last_digits_of_the_mobile(world, login_as):
    assert [r["label"].split("（")[0] for r in _results(login_as("head_c1"), q="3333")["results"]] == ["李娜"]
    assert [r["label"].split("（")[0] for r in _results(login_as("head_c1"), q="1234")["results"]] == ["张伟"]


def test_results_are_bounded_and_say_there_are_more(world, login_as):
    Customer.objects.bulk_create([
        Customer(cif_no=f"C9{i:08d}", name=f"张{i:02d}", id_number=f"1101051980010{i:05d}", mobile=f"1390000{i:04d}",
                 center=world.c1, client_manager=world.cm_c1_1, tier=Tier.PREMIUM, aum=Decimal("1"),
                 aum_avg=Decimal("1")) for i in range(30)])
    data = _results(login_as("cm_c1_1"), q="张")
    assert len(data["results"]) == 20 and data["more"] is True


def test_premium_and_own_filters(world, login_as):
    audited_update(Customer.objects.filter(pk=world.cust_a2.pk), actor=None, what="test", tier=Tier.ORDINARY)
    head = login_as("head_c1")
    assert _results(head, q="李")["results"] != []
    assert _results(head, q="李", premium="1")["results"] == []
    assert _results(head, q="张", own="1")["results"] == []  # head_c1 manages no customer himself


def test_empty_query_answers_nothing_and_other_roles_are_refused(world, login_as):
    assert _results(login_as("cm_c1_1"), q=" ") == {"results": [], "more": False}
    assert login_as("teller_c1").get("/customers/pick/", {"q": "张"}).status_code == 403


def test_contact_and_appointment_forms_use_the_picker_not_a_long_select(world):
    for form in (ContactForm(user=world.cm_c1_1), AppointmentForm(user=world.cm_c1_1)):
        html = str(form["customer"])
        assert "<select" not in html and "data-picker" in html
        assert "/customers/pick/?premium=1&amp;own=1" in html


def test_a_chosen_customer_shows_its_name_when_the_form_comes_back(world):
    form = ContactForm({"customer": world.cust_a.pk}, user=world.cm_c1_1)
    html = str(form["customer"])
    assert f'value="{world.cust_a.pk}"' in html and 'value="张伟（C000000001）"' in html
