"""The contact list's order has an index (issue 16): ``(contacted_at DESC, id DESC)``, the model's ordering, so a
subtree's newest contacts are read from the index instead of sorting every contact first."""
import pytest
from django.db import connection

from wealthdesk.contacts.models import ContactRecord

pytestmark = pytest.mark.django_db


def test_contacts_have_a_newest_first_index_matching_the_list_order():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, ContactRecord._meta.db_table)
    index = constraints.get("contact_at_id_desc_idx")
    assert index is not None and index["index"]
    assert index["columns"] == ["contacted_at", "id"]
    assert index["orders"] == ["DESC", "DESC"]
    assert ContactRecord._meta.ordering == ["-contacted_at", "-id"]
