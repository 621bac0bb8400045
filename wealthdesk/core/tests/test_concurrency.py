"""The shared concurrency helpers (DESIGN rule 13): lock in a transaction, versions, Conflict."""
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from wealthdesk.core.audit import audited_update
from wealthdesk.core.concurrency import Conflict, check_version, lock, save_versioned
from wealthdesk.customers.models import Customer
from wealthdesk.customers.services import customer_update

pytestmark = pytest.mark.django_db


def test_lock_rereads_the_row_in_place(world):
    stale = Customer.objects.get(pk=world.cust_a.pk)
    audited_update(Customer.objects.filter(pk=stale.pk), actor=None, what="test", version=7)
    with transaction.atomic():
        lock(stale)
    assert stale.version == 7


def test_save_versioned_writes_once_and_refuses_the_second_stale_writer(world):
    first = Customer.objects.get(pk=world.cust_a.pk)
    second = Customer.objects.get(pk=world.cust_a.pk)
    first.occupation = "教师"
    save_versioned(first, ["occupation"])
    assert first.version == second.version + 1
    second.occupation = "医生"
    with pytest.raises(Conflict) as exc:
        save_versioned(second, ["occupation"])
    assert "已被他人修改" in exc.value.message_dict["version"][0]
    assert Customer.objects.get(pk=first.pk).occupation == "教师"


def test_check_version_accepts_missing_refuses_stale_and_names_bad_input(world):
    customer = Customer.objects.get(pk=world.cust_a.pk)
    check_version(customer, None)
    check_version(customer, str(customer.version))
    with pytest.raises(Conflict):
        check_version(customer, customer.version + 1)
    with pytest.raises(ValidationError) as exc:
        check_version(customer, "abc")
    assert not isinstance(exc.value, Conflict) and "version" in exc.value.message_dict


def test_a_stale_customer_edit_is_refused_and_changes_nothing(world):
    read = Customer.objects.get(pk=world.cust_a.pk).version
    customer_update(actor=world.head_c1, customer=world.cust_a, occupation="教师", version=read)
    with pytest.raises(Conflict):
        customer_update(actor=world.head_c1, customer=Customer.objects.get(pk=world.cust_a.pk), occupation="医生",
                        version=read)
    assert Customer.objects.get(pk=world.cust_a.pk).occupation == "教师"
