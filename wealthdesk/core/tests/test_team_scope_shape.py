"""The team reach (DESIGN rule 1) is a semi-join, never an OR across a join (issue 16).

``client_manager_id = X OR staff_user.team_id = T`` made PostgreSQL hash-join every customer to the staff table;
the scope is now ``client_manager_id IN (SELECT id FROM staff_user WHERE team_id = T OR id = X)``, and a path
through a relation (contacts, complaints: ``customer__client_manager``) is ``customer_id IN (SELECT …)``. These
tests pin the query shape (never timing) and that the rows are the ones the team sees.
"""
import datetime as dt

import pytest

from wealthdesk.complaints import services as complaint_services
from wealthdesk.complaints.choices import Category, Channel
from wealthdesk.complaints.models import Complaint
from wealthdesk.contacts.models import ContactRecord
from wealthdesk.contacts.tests.factories import make_contact
from wealthdesk.customers.models import Customer

pytestmark = pytest.mark.django_db


def sql(qs) -> str:
    return str(qs.query).upper()


def test_the_team_scope_of_customers_is_a_sub_select_of_the_team_without_a_join(world):
    qs = Customer.objects.visible_to(world.lead_c1)
    text = sql(qs)
    assert " JOIN " not in text
    assert '"CLIENT_MANAGER_ID" IN (SELECT' in text
    assert set(qs.values_list("cif_no", flat=True)) == {"C000000001", "C000000002"}


def test_a_client_manager_keeps_the_plain_own_filter(world):
    qs = Customer.objects.visible_to(world.cm_c1_1)
    assert " IN (SELECT" not in sql(qs)
    assert list(qs.values_list("cif_no", flat=True)) == ["C000000001"]


def test_rows_about_a_customer_are_scoped_by_customer_ids_not_by_joining_customers(world):
    day = dt.date(2026, 11, 2)
    for name in ("cust_a", "cust_a2", "cust_b"):
        customer = world.customers[name]
        make_contact(customer, customer.client_manager, day)
    qs = ContactRecord.objects.visible_to(world.lead_c1)
    text = sql(qs)
    assert " JOIN " not in text
    # PostgreSQL: ``= ANY(ARRAY(SELECT …))`` (the team's customer ids computed once, issue 16); elsewhere ``IN``.
    assert '"CUSTOMER_ID" IN (SELECT' in text or '"CUSTOMER_ID" = ANY(ARRAY(SELECT' in text
    assert {c.customer.cif_no for c in qs} == {"C000000001", "C000000002"}


def test_the_complaints_or_with_ones_own_rows_stays_on_the_complaint_table(world):
    args = {"center": world.c1, "channel": Channel.COUNTER, "category": Category.WAITING, "content": "排队太久"}
    about_team = complaint_services.complaint_create(actor=world.lobby_c1, customer=world.cust_a2, **args)
    anonymous = complaint_services.complaint_create(actor=world.lobby_c1, **args)
    recorded_by_lead = complaint_services.complaint_create(actor=world.lead_c1, **args)
    qs = Complaint.objects.visible_to(world.lead_c1)
    assert " JOIN " not in sql(qs)
    seen = set(qs.values_list("id", flat=True))
    assert about_team.pk in seen and recorded_by_lead.pk in seen
    assert anonymous.pk not in seen
