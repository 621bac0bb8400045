"""Helpers for contact tests: records at a given local time, without going through the service's date checks."""
import datetime as dt

from django.utils import timezone

from wealthdesk.contacts.choices import ContactKind
from wealthdesk.contacts.models import ContactRecord


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def make_contact(customer, staff, day: dt.date, kind=ContactKind.PHONE, hour: int = 10, **extra) -> ContactRecord:
    return ContactRecord.objects.create(customer=customer, staff=staff, kind=kind, contacted_at=at(day, hour), **extra)
