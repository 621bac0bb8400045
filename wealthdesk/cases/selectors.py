"""Reads of cases, joint teams and bulletins — always from ``visible_to`` (DESIGN rule 1)."""
from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from wealthdesk.core import escalation
from wealthdesk.core.scoping import scope_for

from .choices import CaseStatus
from .models import BulletinIssue, Case, JointPlanItem, JointTeam

CASE_RELATED = ("center", "holder_unit", "owner", "opened_by", "answered_unit")


def case_list(user, *, status: str = "", mine: str = "") -> QuerySet[Case]:
    qs = Case.objects.visible_to(user).select_related(*CASE_RELATED)
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    elif status == "overdue":
        qs = qs.filter(status=CaseStatus.REFERRED, due_on__lt=timezone.localdate())
    if mine == "held" and user.unit_id:
        qs = escalation.inbox(qs, user)
    return qs.order_by("-created_at", "-id")


def case_inbox(user) -> QuerySet[Case]:
    """Cases handed up to the user's unit, waiting for its answer, soonest due first."""
    return escalation.inbox(Case.objects.visible_to(user), user).select_related(*CASE_RELATED).order_by("due_on", "id")


def overdue_below(user) -> QuerySet[Case]:
    """Overdue cases held by a level below the user's unit: what the level above must chase (R5, R40)."""
    scope = scope_for(user)
    if not scope.unit_path:
        return Case.objects.none()
    return (Case.objects.visible_to(user)
            .filter(status=CaseStatus.REFERRED, due_on__lt=timezone.localdate(),
                    holder_unit__path__startswith=scope.unit_path)
            .exclude(holder_unit_id=scope.unit_id).select_related(*CASE_RELATED).order_by("due_on", "id"))


def joint_teams(user) -> QuerySet[JointTeam]:
    return (JointTeam.objects.visible_to(user).filter(active=True)
            .select_related("customer", "customer__center", "customer__client_manager", "hq_manager")
            .order_by("-started_on", "-id"))


def plan_items(user, team: JointTeam) -> QuerySet[JointPlanItem]:
    return JointPlanItem.objects.visible_to(user).filter(team=team).select_related("lead").order_by("planned_on", "id")


def joint_contacts(user, team: JointTeam):
    """The customer's contact history as the user may see it: the center's and head office's managers' contacts."""
    ContactRecord = apps.get_model("contacts", "ContactRecord")
    return (ContactRecord.objects.visible_to(user).filter(customer_id=team.customer_id).select_related("staff")
            .order_by("-contacted_at", "-id"))


def issues(user) -> QuerySet[BulletinIssue]:
    return BulletinIssue.objects.visible_to(user).order_by("-issue_no", "-id")


def subject_q_for_customer(customer_id: int) -> Q:
    return Q(subject_kind="customer", subject_id=customer_id)
