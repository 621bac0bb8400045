"""Staff services: accepting the confidentiality agreement (R28), positions and units (separation of duties).

Every change of a person's positions (岗位) or unit is written to the audit log with the position or unit before
and after — from these services, the Django admin, a command or a shell alike: the row is written by the model
hooks in ``staff.signals`` (inside the same transaction), the services add the acting user. Separation of duties
(system administrator ≠ operator ≠ auditor) is checked by ``separation_errors``, called by the services, the
admin's position form and, as a backstop below every path, the position model's save hook.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.audit import AuditAction, acting_as, audit_record, current_context
from wealthdesk.core.roles import Role

from .models import Agreement, AgreementAcceptance, StaffRole, User

# Positions that hold no business: everything else operates on (or audits) customer work.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN})
AUDIT_ROLES = frozenset({Role.AUDITOR})


@transaction.atomic
def agreement_accept(*, actor, agreement: Agreement) -> AgreementAcceptance:
    """Record that ``actor`` accepted ``agreement`` now (idempotent)."""
    row, created = AgreementAcceptance.objects.get_or_create(
        user=actor, agreement=agreement, defaults={"ip": current_context().ip}
    )
    if created:
        audit_record(actor=actor, action=AuditAction.ACCEPT, obj=agreement, unit_id=actor.unit_id)
    actor._wd_agreement_ok = None
    return row


def _same_person(actor, user) -> bool:
    """The actor's own account, or another account of the same employee (same staff number)."""
    if user.pk is not None and actor.pk == user.pk:
        return True
    return bool(actor.employee_no) and actor.employee_no == user.employee_no


def _is_system_admin(actor) -> bool:
    if actor.is_superuser:
        return True
    return StaffRole.objects.filter(user_id=actor.pk, role=Role.SYSTEM_ADMIN).exists()


def separation_errors(*, actor, user, roles) -> list[str]:
    """Why ``user`` may not hold ``roles`` (granted by ``actor``; ``None`` for a command): empty when allowed."""
    roles = set(roles)
    errors = []
    if roles & ADMIN_ROLES and roles - ADMIN_ROLES:
        errors.append(_("系统管理员岗位不能与业务岗位或审计岗位由同一账号兼任（岗位分离）。"))
    elif roles & AUDIT_ROLES and roles - AUDIT_ROLES:
        errors.append(_("审计员岗位不能与其他岗位由同一账号兼任（岗位分离）。"))
    if actor is not None and _same_person(actor, user) and roles - ADMIN_ROLES \
            and _is_system_admin(actor):
        errors.append(_("系统管理员不能给自己（或本人的其他账号）授予业务或审计岗位（岗位分离）。"))
    return errors


def check_separation(*, actor, user, roles) -> None:
    errors = separation_errors(actor=actor, user=user, roles=roles)
    if errors:
        raise ValidationError({"role": errors})


def _roles_of(user) -> set[str]:
    return set(StaffRole.objects.filter(user_id=user.pk).values_list("role", flat=True))


@transaction.atomic
def staff_role_grant(*, actor, user: User, role: str) -> StaffRole:
    """Give ``user`` the position ``role`` (audited with the positions before and after)."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = StaffRole.objects.filter(user=user, role=role).first()
    if existing:
        return existing
    check_separation(actor=actor, user=user, roles=_roles_of(user) | {role})
    row = StaffRole(user=user, role=role)
    row.full_clean()
    with acting_as(actor):
        row.save()
    user.__dict__.pop("role_codes", None)
    return row


@transaction.atomic
def staff_role_revoke(*, actor, user: User, role: str) -> None:
    """Take the position ``role`` away from ``user`` (audited)."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    with acting_as(actor):
        for row in StaffRole.objects.filter(user=user, role=role):
            row.delete()
    user.__dict__.pop("role_codes", None)


@transaction.atomic
def staff_unit_change(*, actor, user: User, unit, team=None) -> User:
    """Move ``user`` to another unit (and team), audited with the unit before and after."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.unit = unit
    locked.team = team
    locked.full_clean(exclude=["password"])
    with acting_as(actor):
        locked.save(update_fields=["unit", "team"])
    user.unit, user.team = unit, team
    return locked
