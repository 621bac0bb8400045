"""Who supervises whom (R10, R11): a client manager's direct supervisors are the team lead of their team and the
center head of their center. Debriefs and log reviews are recorded only by them."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from wealthdesk.core.memo import memo
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.staff.models import User

SUPERVISOR_ROLES = frozenset({Role.CENTER_HEAD, Role.TEAM_LEAD})


def is_supervisor(actor, staff) -> bool:
    if actor is None or staff is None or actor.pk == staff.pk:
        return False
    scope = scope_for(actor)
    if scope.has(Role.CENTER_HEAD) and actor.unit_id and actor.unit_id == staff.unit_id:
        return True
    return bool(scope.has(Role.TEAM_LEAD) and staff.team_id and staff.team.lead_id == actor.pk)


def supervised_managers(actor) -> QuerySet[User]:
    """The client managers this person supervises (one query when evaluated)."""
    scope = scope_for(actor)
    q = Q(pk__in=[])
    if scope.has(Role.CENTER_HEAD) and actor.unit_id:
        q |= Q(unit_id=actor.unit_id)
    if scope.has(Role.TEAM_LEAD):
        q |= Q(team__lead_id=actor.pk)
    return (User.objects.filter(q, is_active=True, role_assignments__role=Role.CLIENT_MANAGER)
            .exclude(pk=actor.pk).distinct().order_by("full_name", "username"))


def supervised_manager_list(actor) -> list[User]:
    """``supervised_managers`` evaluated, once per request for the same person (the team page's debrief board,
    its days without logs and its figures all list them; ``core.memo``)."""
    return memo(("supervised_managers", actor.pk), lambda: list(supervised_managers(actor)))
