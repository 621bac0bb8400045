"""Who approves an export request (GB/T 35273 §7.1; JR/T 0171; issue 15), in one place.

* A member of a wealth center's staff (client manager, team lead, supervisor…) → the **head of that center**
  (``center_head`` at the same unit).
* The center's head, anyone at an outlet, sub-branch or branch → the **service role of the level above**
  (``subbranch_service`` / ``branch_service`` / ``hq_service`` of the parent unit).
* Head office, which has no level above → the **head-office service role** (``hq_service``) at head office.
* Never the requester (self-approval refused, even where the requester holds the approving role).
"""
from __future__ import annotations

from django.db.models import Q

from wealthdesk.core.roles import Role
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.staff.models import User

UPPER_APPROVER_ROLES = frozenset({Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE})
APPROVER_ROLES = UPPER_APPROVER_ROLES | {Role.CENTER_HEAD}


def approving_level(unit, requester) -> tuple[int, frozenset[str]]:
    """The unit whose staff approve a request of ``requester`` made at ``unit``, and the roles that approve."""
    if unit.kind == UnitKind.CENTER and Role.CENTER_HEAD not in requester.role_codes:
        return unit.pk, frozenset({Role.CENTER_HEAD})
    if unit.parent_id:
        return unit.parent_id, UPPER_APPROVER_ROLES
    return unit.pk, frozenset({Role.HQ_SERVICE})


def approvers_of(req):
    """The active staff who may decide on ``req`` (never its requester)."""
    unit_id, roles = approving_level(req.unit, req.requester)
    return (User.objects.filter(unit_id=unit_id, is_active=True, role_assignments__role__in=roles)
            .exclude(pk=req.requester_id).distinct())


def may_decide(user, req) -> bool:
    if user.pk == req.requester_id or not user.is_active:
        return False
    unit_id, roles = approving_level(req.unit, req.requester)
    return user.unit_id == unit_id and bool(user.role_codes & roles)


def decidable_q(user) -> Q | None:
    """The requests ``user`` may decide on, as one filter (the approver's inbox), the inverse of
    ``approving_level``; ``None`` when the user approves nothing."""
    if not user.unit_id:
        return None
    roles, unit = user.role_codes, user.unit
    heads = User.objects.filter(role_assignments__role=Role.CENTER_HEAD).values("pk")
    q = Q(pk__in=[])
    if Role.CENTER_HEAD in roles and unit.kind == UnitKind.CENTER:
        q |= Q(unit_id=unit.pk) & ~Q(requester__in=heads)
    if roles & UPPER_APPROVER_ROLES:
        q |= Q(unit__parent_id=unit.pk) & (~Q(unit__kind=UnitKind.CENTER) | Q(requester__in=heads))
    if Role.HQ_SERVICE in roles and unit.parent_id is None:
        q |= Q(unit_id=unit.pk)
    return q & ~Q(requester_id=user.pk)
