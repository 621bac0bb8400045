"""Private-banking joint service (R5: "private-banking customers are served jointly with head office").

A private-banking customer gets a head-office relationship manager (a client manager at head office) beside the
center's client manager. ``joint_customer_q`` is registered on ``customers.Customer`` through
``core.scoping.register_scope_extension``: it opens exactly the customers of the user's active joint teams, and only
for a head-office client manager (nobody else's scope changes). Both managers and everyone who sees the customer
share the plan of reviews and meetings; core premium customers are served by the branch with the center, which the
branch's service staff already see through their subtree.
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import lock
from wealthdesk.core.roles import Reach, Role
from wealthdesk.core.scoping import Scope, scope_for
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.staff.models import User

from .choices import PlanItemKind
from .models import JointPlanItem, JointTeam

TEAM_KEEPERS = frozenset({Role.HQ_SERVICE})


def _is_head_office_path(path: str) -> bool:
    return path.count("/") == 1


def _joint_customers_q(scope: Scope, field: str) -> Q | None:
    if scope.user_id is None or scope.reach not in (Reach.OWN, Reach.TEAM) or not scope.has(Role.CLIENT_MANAGER):
        return None
    if not _is_head_office_path(scope.unit_path):
        return None
    ids = JointTeam.objects.filter(hq_manager_id=scope.user_id, active=True).values("customer_id")
    return Q(**{f"{field}__in": ids})


def joint_customer_q(scope: Scope) -> Q | None:
    """The extra customers a head-office client manager sees: those of their active joint teams."""
    return _joint_customers_q(scope, "pk")


def joint_contact_q(scope: Scope) -> Q | None:
    """…and those customers' contact records, so both managers appear on one contact history."""
    return _joint_customers_q(scope, "customer_id")


def hq_managers():
    """Who may be a joint relationship manager: client managers at head office."""
    return (User.objects.filter(is_active=True, unit__kind=UnitKind.HEAD_OFFICE,
                                role_assignments__role=Role.CLIENT_MANAGER).distinct().order_by("full_name", "id"))


def is_joint_member(user, team: JointTeam) -> bool:
    return user.pk in (team.hq_manager_id, team.customer.client_manager_id)


@transaction.atomic
def joint_team_create(*, actor, customer: Customer, hq_manager: User | None, started_on: dt.date | None = None,
                      note: str = "") -> JointTeam:
    """Head office's private-banking service sets up the joint team of a private-banking customer."""
    if not scope_for(actor).has(*TEAM_KEEPERS):
        raise PermissionDenied(_("只有总行个金部客户服务处可以设立联合服务团队。"))
    errors = {}
    if not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        errors["customer"] = [_("找不到该客户。")]
    elif customer.tier != Tier.PRIVATE:
        errors["customer"] = [_("只有私人银行客户由总行联合服务。")]
    elif JointTeam.objects.filter(customer=customer).exists():
        errors["customer"] = [_("该客户已有联合服务团队。")]
    if hq_manager is None or not hq_managers().filter(pk=hq_manager.pk).exists():
        errors["hq_manager"] = [_("请选择总行的私人银行客户经理。")]
    if errors:
        raise ValidationError(errors)
    team = JointTeam(customer=customer, hq_manager=hq_manager, started_on=started_on or timezone.localdate(),
                     note=note or "", created_by=actor)
    team.full_clean()
    team.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=team, detail={"customer": customer.pk})
    return team


def _require_member(actor, team: JointTeam) -> None:
    scope = scope_for(actor)
    if not (is_joint_member(actor, team) or scope.has(Role.CENTER_HEAD, Role.TEAM_LEAD, *TEAM_KEEPERS)):
        raise PermissionDenied(_("只有联合服务团队的成员可以修改服务计划。"))


@transaction.atomic
def plan_item_add(*, actor, team: JointTeam, kind: str, title: str, planned_on: dt.date | None) -> JointPlanItem:
    """A member adds a review or a meeting to the shared plan."""
    _require_member(actor, team)
    errors = {}
    if kind not in PlanItemKind.values:
        errors["kind"] = [_("请选择类型（服务检视或客户会面）。")]
    if not (title or "").strip():
        errors["title"] = [_("请填写内容。")]
    if planned_on is None:
        errors["planned_on"] = [_("请填写计划日期。")]
    if errors:
        raise ValidationError(errors)
    item = JointPlanItem(team=team, kind=kind, title=title.strip(), planned_on=planned_on, lead=actor,
                         created_by=actor)
    item.full_clean()
    item.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=item, detail={"team": team.pk})
    return item


@transaction.atomic
def plan_item_record(*, actor, item: JointPlanItem, held_on: dt.date | None, outcome: str) -> JointPlanItem:
    """Record when a planned review or meeting took place and what came of it."""
    locked = lock(item)
    _require_member(actor, locked.team)
    errors = {}
    if held_on is None:
        errors["held_on"] = [_("请填写完成日期。")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("完成日期不能晚于今天。")]
    if not (outcome or "").strip():
        errors["outcome"] = [_("请填写结果。")]
    if errors:
        raise ValidationError(errors)
    locked.held_on = held_on
    locked.outcome = outcome.strip()
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"held_on": held_on.isoformat()})
    return locked
