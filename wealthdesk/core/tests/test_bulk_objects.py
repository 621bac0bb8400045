"""``core.bulk.copy_objects``: the COPY path of the seeds writes the same rows as the ORM would — ids taken first
(so rows can point at each other before they are written), ``auto_now`` stamps, a choices member stored as its
value, encrypted fields with their blind indexes and mobile tail, rows that point at rows written in the same
pass. Run on SQLite and PostgreSQL."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.contacts.choices import ContactKind
from wealthdesk.contacts.models import ContactRecord
from wealthdesk.core.bulk import allocate_ids, copy_objects
from wealthdesk.customers.models import Customer

pytestmark = pytest.mark.django_db


def _fields(obj, skip=("id", "cif_no", "id_number", "created_at", "updated_at", "mobile_bidx", "id_number_bidx")):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname not in skip}


def test_a_copied_customer_reads_back_as_the_orm_wrote_it(world):
    model = world.customers["cust_a"]
    twin = Customer.objects.get(pk=model.pk)
    twin.pk, twin.cif_no, twin.id_number = None, "C900000001", "110105199001010010"
    before = timezone.now()
    assert copy_objects([twin]) == 1
    assert twin.pk is not None and not twin._state.adding
    back = Customer.objects.get(cif_no="C900000001")
    assert back.pk == twin.pk
    assert _fields(back) == _fields(model)  # name, encrypted mobile and address, tier, AUM …
    assert back.id_number == "110105199001010010"
    assert Customer.objects.filter(id_number_bidx=back.id_number_bidx).get() == back
    assert back.created_at >= before - dt.timedelta(seconds=1)
    assert Customer.objects.filter(mobile_bidx=model.mobile_bidx).count() == 2  # the exact search finds both
    assert back.mobile_tail == model.mobile_tail


def test_rows_that_point_at_each_other_are_written_in_one_pass(world):
    customer, cm = world.customers["cust_a"], world.users["cm_c1_1"]
    at = timezone.now() - dt.timedelta(hours=2)
    records = [ContactRecord(customer=customer, staff=cm, kind=ContactKind.PHONE, contacted_at=at, purpose=f"电话{i}",
                             content="介绍产品", source="campaign:1", created_by=cm) for i in range(3)]
    copy_objects(records)
    ids = [r.pk for r in records]
    assert len(set(ids)) == 3
    stored = {r.pk: r for r in ContactRecord.objects.filter(pk__in=ids)}
    assert sorted(stored) == sorted(ids)
    assert {r.kind for r in stored.values()} == {"phone"}  # the value, not the member's name
    assert stored[ids[0]].contacted_at == at
    # the table's sequence moved past them: the ORM's next row takes a new id
    later = ContactRecord.objects.create(customer=customer, staff=cm, kind=ContactKind.PHONE, contacted_at=at,
                                         purpose="之后", content="x", created_by=cm)
    assert later.pk > max(ids)
    assert allocate_ids(ContactRecord, 2)[0] > later.pk


def test_nothing_to_write_is_nothing(db):
    assert copy_objects([]) == 0
    assert allocate_ids(ContactRecord, 0) == []
