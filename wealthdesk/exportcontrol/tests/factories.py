"""Test data for export approval: contact records (an export that carries customer data) and requests."""
from django.utils import timezone

from wealthdesk.contacts.models import ContactRecord

EXPORT_URL = "/contacts/export/"


def contacts(world, n: int, *, customer="cust_a", staff="cm_c1_1") -> None:
    now = timezone.now()
    ContactRecord.objects.bulk_create([
        ContactRecord(customer=world.customers[customer], staff=world.users[staff], kind="phone",
                      contacted_at=now - timezone.timedelta(minutes=i), purpose=f"回访{i}") for i in range(n)])


def make_request(world, rf_request, *, n: int = 51, who="cm_c1_1", reason="季度到期客户集中回访"):
    from wealthdesk.exportcontrol import services

    contacts(world, n)
    return services.request_export(rf_request(world.users[who]), actor=world.users[who], url=EXPORT_URL,
                                   reason=reason)
