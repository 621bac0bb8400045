"""Writes of contact records and appointments (DESIGN rule 2): keyword-only, atomic, validated, audited.

``contact_create`` is also the entry point for other apps (a referral follow-up calls it with
``source="referral:<id>"``); its signature is a contract — keep it stable.
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.params import get_param
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.customers.models import Customer

from .choices import AppointmentStatus, ContactKind
from .models import DEFAULT_INTERVALS, Appointment, ContactPolicy, ContactRecord

CONTACT_WRITERS = frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD})


def _check_writer(actor) -> None:
    if not scope_for(actor).has(*CONTACT_WRITERS):
        raise PermissionDenied(_("您的岗位无权登记客户联系。"))


def _check_customer(actor, customer) -> None:
    if customer is None or not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise ValidationError({"customer": [_("客户不在您的管辖范围内，不能为其登记。")]})


@transaction.atomic
def contact_create(*, actor, customer, kind, contacted_at, purpose="", content="", response="", next_step="",
                   next_contact_on=None, place="", source="") -> ContactRecord:
    """Record one contact with a customer (R27). Refused: a customer outside the actor's scope, a contact
    time in the future, a next-contact date in the past."""
    _check_writer(actor)
    _check_customer(actor, customer)
    errors = {}
    now = timezone.now()
    if contacted_at and contacted_at > now + dt.timedelta(minutes=get_param("contact.future_tolerance_minutes")):
        errors["contacted_at"] = [_("联系时间不能晚于当前时间。")]
    if next_contact_on and next_contact_on < timezone.localdate():
        errors["next_contact_on"] = [_("下次联系日期不能早于今天。")]
    if kind not in ContactKind.values:
        errors["kind"] = [_("请选择会面、电话、邮寄或其他。")]
    if errors:
        raise ValidationError(errors)
    record = ContactRecord(customer=customer, staff=actor, kind=kind, contacted_at=contacted_at, place=place or "",
                           purpose=purpose or "", content=content or "", response=response or "",
                           next_step=next_step or "", next_contact_on=next_contact_on, source=source or "",
                           created_by=actor)
    record.full_clean()
    record.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=record, unit_id=customer.center_id)
    return record


@transaction.atomic
def appointment_create(*, actor, customer, planned_at, kind: str = ContactKind.MEETING, place="",
                       purpose="") -> Appointment:
    """Plan a visit or call with a customer; the time must not lie in the past. ``kind`` defaults like the model
    (a meeting), so the API may leave it out as its schema says."""
    _check_writer(actor)
    _check_customer(actor, customer)
    if planned_at and planned_at < timezone.now() - dt.timedelta(minutes=5):
        raise ValidationError({"planned_at": [_("预约时间不能早于当前时间。")]})
    appt = Appointment(customer=customer, staff=actor, kind=kind, planned_at=planned_at, place=place or "",
                       purpose=purpose or "", created_by=actor)
    appt.full_clean()
    appt.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=appt, unit_id=customer.center_id)
    return appt


@transaction.atomic
def appointment_complete(*, actor, appointment: Appointment, **contact_fields) -> ContactRecord:
    """Mark an appointment done: the contact record is created and linked to it."""
    appt = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appt.status != AppointmentStatus.PLANNED:
        raise ValidationError({"status": [_("该预约已完成或已取消。")]})
    contact_fields.setdefault("source", f"appointment:{appt.pk}")
    contact = contact_create(actor=actor, customer=appt.customer, **contact_fields)
    appt.status = AppointmentStatus.DONE
    appt.contact = contact
    appt.save(update_fields=["status", "contact", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=appt, unit_id=appt.customer.center_id,
                 detail={"status": "done", "contact": contact.pk})
    return contact


@transaction.atomic
def appointment_cancel(*, actor, appointment: Appointment) -> Appointment:
    """Cancel a planned appointment."""
    _check_writer(actor)
    if appointment.status != AppointmentStatus.PLANNED:
        raise ValidationError({"status": [_("该预约已完成或已取消。")]})
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=appointment, unit_id=appointment.customer.center_id,
                 detail={"status": "cancelled"})
    return appointment


@transaction.atomic
def contact_policy_set(*, actor, intervals: dict[str, object]) -> dict[str, int]:
    """Head office sets the minimum contact frequency per tier (R26): every N calendar months, 0–12 (0: none).

    All tiers are checked first; one bad value refuses the whole form and nothing changes. Audited."""
    from wealthdesk.core.settings_services import require_head_office
    from wealthdesk.customers.choices import Tier

    require_head_office(actor)
    labels = dict(Tier.choices)
    values, errors = {}, {}
    for tier in DEFAULT_INTERVALS:
        raw = str(intervals.get(tier, "")).strip()
        if not raw.isdigit() or not 0 <= int(raw) <= 12:
            errors[tier] = [_("%(tier)s的联系频率应为 0 到 12 之间的整数（每N个自然月至少一次，0为不要求），"
                              "“%(v)s”无效。") % {"tier": labels[tier], "v": raw}]
        else:
            values[tier] = int(raw)
    if errors:
        raise ValidationError(errors)
    stored = dict(ContactPolicy.objects.values_list("tier", "interval_months"))
    old = {tier: stored.get(tier, default) for tier, default in DEFAULT_INTERVALS.items()}
    for tier, months in values.items():
        row = ContactPolicy.objects.filter(tier=tier).first() or ContactPolicy(tier=tier, created_by=actor)
        row.interval_months = months
        row.full_clean()
        row.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, unit_id=actor.unit_id,
                 detail={"contact_policy": {"from": old, "to": values}})
    return values
