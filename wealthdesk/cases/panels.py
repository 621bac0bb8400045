"""Panels on the shared pages: the upper levels' cases to answer (and overdue below) on home; on the customer page
the joint team and plan of a private-banking customer (or the branch serving a core customer) and its cases."""
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wealthdesk.core.scoping import scope_for
from wealthdesk.customers.choices import Tier
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit

from . import selectors
from .models import Case, JointTeam
from .services import OPENERS


def inbox_panel(request):
    cases = list(selectors.case_inbox(request.user)[:8])
    return {"cases": cases, "today": timezone.localdate(), "overdue_below": selectors.overdue_below(request.user).count()}


def customer_panel(request):
    customer = getattr(request, "wd_customer", None)
    if customer is None:
        return None
    user = request.user
    team = JointTeam.objects.visible_to(user).filter(customer=customer, active=True).select_related("hq_manager").first()
    branch = None
    if team is None and customer.tier == Tier.CORE:
        parts = [p for p in customer.center.path.split("/") if p]
        branch = (OrgUnit.objects.filter(path__in=["/".join(parts[:i]) + "/" for i in range(1, len(parts))],
                                         kind__in=[UnitKind.BRANCH1, UnitKind.BRANCH2]).order_by("-depth").first())
    cases = list(Case.objects.visible_to(user).filter(
        subject_type=ContentType.objects.get_for_model(type(customer)), subject_id=customer.pk)[:5])
    can_open = scope_for(user).has(*OPENERS) and user.unit_id == customer.center_id
    if team is None and branch is None and not cases and not can_open:
        return None
    items = list(selectors.plan_items(user, team)[:5]) if team else []
    return {"customer": customer, "team": team, "items": items, "branch": branch, "cases": cases,
            "can_open": can_open}
