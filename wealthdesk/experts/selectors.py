"""Reads of the expert pool and consultations (R4), always from ``visible_to``."""
from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for

from .choices import ConsultationStatus, ExpertKind, Level, Specialty
from .models import POOL_ROLES, Consultation, PoolMember

COORDINATOR_ROLES = frozenset({Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE})


def is_pool_user(user) -> bool:
    """A pool member without customer reach of their own (an advisor, an expert): sees the masked summary only."""
    scope = scope_for(user)
    return scope.has(*POOL_ROLES) and not (scope.roles - POOL_ROLES)


def pool_list(user, *, kind: str = "", level: str = "", specialty: str = "", status: str = ""):
    qs = PoolMember.objects.visible_to(user).select_related("user", "unit")
    if kind in ExpertKind.values:
        qs = qs.filter(kind=kind)
    if level in Level.values:
        qs = qs.filter(level=level)
    if specialty in Specialty.values:
        qs = qs.filter(specialties__icontains=f'"{specialty}"')
    today = timezone.localdate()
    if status == "active":
        qs = qs.active_on(today)
    elif status == "ended":
        qs = qs.filter(Q(revoked_at__isnull=False) | Q(engagement_ends_on__lt=today))
    return qs.order_by("unit__path", "kind", "id")


def askable_members(user):
    """The pool members a client manager may name: serving the levels above them, in service today."""
    return (PoolMember.objects.visible_to(user).active_on(timezone.localdate()).select_related("user", "unit")
            .order_by("unit__path", "user__full_name"))


def consultation_list(user, *, status: str = "", overdue: bool = False, level: str = ""):
    qs = Consultation.objects.visible_to(user).select_related(
        "customer", "center", "asked_by", "queue_unit", "expert__user", "requested_expert__user")
    if status in ConsultationStatus.values:
        qs = qs.filter(status=status)
    if level in Level.values:
        qs = qs.filter(level=level)
    if overdue:
        qs = qs.overdue(timezone.localdate())
    return qs.order_by("-asked_on", "-id")


def my_work(user) -> dict:
    """A pool member's desk: named to them and waiting, taken and open, the queue of their unit, recently done."""
    member = PoolMember.objects.filter(user=user).select_related("unit").first()
    mid = member.pk if member else 0
    qs = Consultation.objects.visible_to(user).select_related("queue_unit", "expert__user", "requested_expert__user")
    named = qs.filter(status=ConsultationStatus.QUEUED, requested_expert_id=mid)
    open_ = qs.filter(status__in=(ConsultationStatus.TAKEN, ConsultationStatus.ASKED_BACK), expert_id=mid)
    queue = qs.filter(status=ConsultationStatus.QUEUED, requested_expert__isnull=True)
    done = qs.filter(expert_id=mid, status__in=(ConsultationStatus.ANSWERED, ConsultationStatus.CLOSED))
    return {"member": member, "named": list(named.order_by("due_on", "id")[:50]),
            "open": list(open_.order_by("due_on", "id")[:50]), "queue": list(queue.order_by("due_on", "id")[:50]),
            "done": list(done.order_by("-answered_at", "-id")[:20]),
            "bookings": list(member.bookings.filter(starts_at__gte=timezone.now()).select_related("consultation")
                             .order_by("starts_at")[:20]) if member else []}


def overdue_at_my_level(user):
    """For the level's coordinator: open consultations queued at their own unit and past their due date."""
    if not scope_for(user).has(*COORDINATOR_ROLES) or not user.unit_id:
        return Consultation.objects.none()
    return (Consultation.objects.visible_to(user).filter(queue_unit_id=user.unit_id)
            .overdue(timezone.localdate()).select_related("center", "expert__user", "queue_unit")
            .order_by("due_on", "id"))
