"""Model hooks that audit every change of positions and units, whatever path made it (admin, service, command,
shell), and refuse a position that breaks separation of duties. ``QuerySet.update``/``bulk_create`` bypass them:
the application only uses those in the seed and the test world."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from wealthdesk.core.audit import AuditAction, audit_record, current_actor

from .models import StaffRole, User


def _roles(user_id) -> list[str]:
    return sorted(StaffRole.objects.filter(user_id=user_id).values_list("role", flat=True))


@receiver(pre_save, sender=StaffRole)
def _role_before(sender, instance: StaffRole, raw=False, **kwargs):
    if raw:
        return
    from .services import separation_errors

    before = _roles(instance.user_id)
    old = StaffRole.objects.filter(pk=instance.pk).values_list("role", flat=True).first() if instance.pk else None
    after = set(before) - ({old} if old else set()) | {instance.role}
    errors = separation_errors(actor=current_actor(), user=instance.user, roles=after)
    if errors:
        raise ValidationError({"role": errors})
    instance._wd_before = before


@receiver(post_save, sender=StaffRole)
def _role_saved(sender, instance: StaffRole, created, raw=False, **kwargs):
    if raw:
        return
    _audit(instance.user, "role_grant", {"roles": getattr(instance, "_wd_before", [])},
           {"roles": _roles(instance.user_id)}, role=instance.role)


@receiver(post_delete, sender=StaffRole)
def _role_deleted(sender, instance: StaffRole, **kwargs):
    user = User.objects.filter(pk=instance.user_id).first()
    if user is None:  # the account itself is being deleted
        return
    after = _roles(instance.user_id)
    _audit(user, "role_revoke", {"roles": sorted(set(after) | {instance.role})}, {"roles": after},
           role=instance.role)


@receiver(pre_save, sender=User)
def _unit_before(sender, instance: User, raw=False, update_fields=None, **kwargs):
    if raw or not instance.pk or (update_fields is not None and not {"unit", "team"} & set(update_fields)):
        instance._wd_unit_before = None
        return
    instance._wd_unit_before = User.objects.filter(pk=instance.pk).values("unit_id", "team_id").first()


@receiver(post_save, sender=User)
def _unit_saved(sender, instance: User, created, raw=False, **kwargs):
    before = getattr(instance, "_wd_unit_before", None)
    if raw or created or not before:
        return
    after = {"unit_id": instance.unit_id, "team_id": instance.team_id}
    if before != after:
        _audit(instance, "unit_change", {"unit": before["unit_id"], "team": before["team_id"]},
               {"unit": after["unit_id"], "team": after["team_id"]})


def _audit(user: User, what: str, before: dict, after: dict, **extra) -> None:
    actor = current_actor()
    audit_record(actor=actor, action=AuditAction.STAFF_CHANGE, obj=user, unit_id=user.unit_id,
                 detail={"what": what, "user": user.username, "before": before, "after": after,
                         "by": getattr(actor, "username", None), **extra})
