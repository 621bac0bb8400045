"""Hand up / send back: the generic escalation trail (R12 problems; issue 13 reuses it for cases and complaints).

A model that can be handed up the org tree inherits ``EscalatableModel`` and names the field that holds the unit
it belongs to (``escalation_origin_field``, e.g. ``"center"``). Then:

* ``hand_up(actor=, obj=, to_unit=)`` – the unit that holds it now sends it to a unit above (the first time from
  its own unit; later a receiving unit forwards it further up). Handing up something already held above is refused
  with a message (no double escalation).
* ``send_back(actor=, obj=, answer=)`` – the receiving unit answers with a solution; the item goes back to the
  unit it came from, ``answered_at`` starts whatever feedback deadline the app keeps.
* ``record_step(...)`` – any other step the app wants in the trail (raised, collected, solved locally, fed back).
* ``targets_for(obj, kinds)`` – the units ``obj`` may be handed up to from where it is held now;
  ``inbox(queryset, user)`` – what is held by the user's unit and waits for its answer; ``ANSWER_ROLES`` – the
  upper-level service positions that answer or forward (sub-branch, branch, head office); the trail is shown with
  the template ``core/_escalation_trail.html`` (``trail`` in the context). R12 problems and R5 cases share them.

Both transitions read the row under ``select_for_update`` inside their transaction and check its state there, so of
many simultaneous attempts exactly one wins. Each writes one ``EscalationStep`` and one audit row.
The app's own checks (who may, its own status field) run in ``prepare(locked)`` before the change and its own
field updates in ``apply(locked)`` after it, in the same transaction.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .audit import AuditAction, audit_record
from .models import EscalationStep
from .roles import Role

Kind = EscalationStep.Kind
# The upper-level service positions that answer what was handed up to their unit, or hand it further up (R5, R12).
ANSWER_ROLES = frozenset({Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE})


class EscalationState(models.TextChoices):
    LOCAL = "local", _("本级处理")
    ESCALATED = "escalated", _("已上报")
    ANSWERED = "answered", _("已答复")


class EscalatableModel(models.Model):
    """Abstract: where the item is held now and what the units above made of it."""

    escalation_origin_field = "center"

    holder_unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("当前处理机构"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    escalation_state = models.CharField(_("上报状态"), max_length=16, choices=EscalationState.choices,
                                        default=EscalationState.LOCAL)
    escalated_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上报人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("答复机构"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(_("上级答复（解决方案）"), blank=True)

    class Meta:
        abstract = True

    @property
    def origin_unit(self):
        return getattr(self, self.escalation_origin_field)

    @property
    def origin_unit_id(self):
        return getattr(self, f"{self.escalation_origin_field}_id")

    @property
    def current_holder_id(self):
        return self.holder_unit_id or self.origin_unit_id


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def escalation_targets(unit, kinds: Iterable[str]) -> list:
    """The units above ``unit`` of the given kinds, nearest first (e.g. its sub-branch, then its branch)."""
    if unit is None:
        return []
    model = type(unit)
    return list(model.objects.filter(path__in=_ancestor_paths(unit.path), kind__in=list(kinds)).order_by("-depth"))


def targets_for(obj: EscalatableModel, kinds: Iterable[str]) -> list:
    """The units ``obj`` may be handed up to from the unit holding it now (nearest first)."""
    return escalation_targets(obj.holder_unit or obj.origin_unit, kinds)


def inbox(queryset, user):
    """Of ``queryset`` (already scoped), the items handed up to the user's unit and waiting for its answer."""
    if not getattr(user, "unit_id", None):
        return queryset.none()
    return queryset.filter(holder_unit_id=user.unit_id, escalation_state=EscalationState.ESCALATED)


def record_step(*, obj, kind: str, actor, from_unit=None, to_unit=None, note: str = "") -> EscalationStep:
    return EscalationStep.objects.create(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk,
                                         kind=kind, actor=actor if getattr(actor, "pk", None) else None,
                                         from_unit=from_unit, to_unit=to_unit, note=note or "")


def trail(obj):
    """The whole trail of one item, oldest first (one query)."""
    return (EscalationStep.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
            .select_related("actor", "from_unit", "to_unit").order_by("at", "id"))


def _lock(obj):
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


@transaction.atomic
def hand_up(*, actor, obj, to_unit, target_kinds: Iterable[str], note: str = "",
            prepare: Callable | None = None, apply: Callable | None = None):
    """Send ``obj`` from the unit holding it to ``to_unit`` (a unit above, of one of ``target_kinds``)."""
    locked = _lock(obj)
    if prepare:
        prepare(locked)
    holder_id = locked.current_holder_id
    if locked.escalation_state == EscalationState.ANSWERED:
        raise ValidationError({"to_unit": [gettext("上级已答复，不能再上报。")]})
    if locked.escalation_state == EscalationState.ESCALATED and actor.unit_id != holder_id:
        raise ValidationError({"to_unit": [gettext("已上报至%(unit)s，正在等待答复，不能重复上报。")
                                           % {"unit": locked.holder_unit}]})
    if actor.unit_id != holder_id:
        raise ValidationError({"to_unit": [gettext("只有当前处理机构可以上报。")]})
    holder = locked.holder_unit or locked.origin_unit
    allowed = {u.pk for u in escalation_targets(holder, target_kinds)}
    if to_unit is None or to_unit.pk not in allowed:
        raise ValidationError({"to_unit": [gettext("请选择本机构的上级机构（支行或分行）。")]})
    kind = Kind.FORWARD if locked.escalation_state == EscalationState.ESCALATED else Kind.HAND_UP
    locked.holder_unit = to_unit
    locked.escalation_state = EscalationState.ESCALATED
    locked.escalated_at = timezone.now()
    locked.escalated_by = actor
    if apply:
        apply(locked)
    locked.full_clean()
    locked.save()
    record_step(obj=locked, kind=kind, actor=actor, from_unit=holder, to_unit=to_unit, note=note)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"escalation": kind, "to": to_unit.pk})
    return locked


@transaction.atomic
def send_back(*, actor, obj, answer: str, prepare: Callable | None = None, apply: Callable | None = None):
    """The unit holding ``obj`` answers it; it goes back to the unit it belongs to."""
    locked = _lock(obj)
    if prepare:
        prepare(locked)
    if locked.escalation_state != EscalationState.ESCALATED:
        raise ValidationError({"answer": [gettext("该事项不在待答复状态。")]})
    if actor.unit_id != locked.holder_unit_id:
        raise ValidationError({"answer": [gettext("只有收到上报的机构可以答复。")]})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [gettext("请填写答复（解决方案）。")]})
    holder = locked.holder_unit
    locked.answer = answer
    locked.answered_at = timezone.now()
    locked.answered_by = actor
    locked.answered_unit = holder
    locked.escalation_state = EscalationState.ANSWERED
    locked.holder_unit = locked.origin_unit
    if apply:
        apply(locked)
    locked.full_clean()
    locked.save()
    record_step(obj=locked, kind=Kind.ANSWER, actor=actor, from_unit=holder, to_unit=locked.origin_unit, note=answer)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"escalation": Kind.ANSWER})
    return locked
