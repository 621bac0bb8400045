"""The org tree page: one unit and the units directly below it, with their staff and customer counts; each unit
below is a link that narrows the page to it (drill-down, ``?unit=<id>``). Customer counts come from the
maintained summary (``customers.CustomerCount``), summed over each unit's subtree (R1)."""
from django.db.models import Count, Q, Sum
from django.views.generic import ListView

from wealthdesk.core.rollup import breadcrumbs, subtree_sums, unit_in_scope
from wealthdesk.core.views import RoleRequiredMixin
from wealthdesk.customers.models import CustomerCount
from wealthdesk.staff.models import User

from .models import OrgUnit
from .nav import ORG_VIEWERS


class UnitListView(RoleRequiredMixin, ListView):
    allowed_roles = ORG_VIEWERS
    template_name = "orgs/unit_list.html"
    context_object_name = "units"

    def get_queryset(self):
        self.root = unit_in_scope(self.request.user, self.request.GET.get("unit"))
        return (OrgUnit.objects.visible_to(self.request.user)
                .filter(Q(pk=self.root.pk) | Q(parent_id=self.root.pk)).order_by("path"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        units = list(ctx["units"])
        staff = dict(User.objects.filter(unit__in=units).values_list("unit").annotate(n=Count("id")).order_by())
        per_center = {center: {"customers": n or 0} for center, n in
                      CustomerCount.objects.visible_to(self.request.user)
                      .filter(center__path__startswith=self.root.path)
                      .values_list("center").annotate(n=Sum("n")).order_by()}
        # R1: a branch, tier-2 branch or sub-branch shows the sum of its subtree, as the home panel does.
        customers = subtree_sums(units, per_center)
        for unit in units:
            unit.staff_count = staff.get(unit.pk, 0)
            unit.customer_count = int(customers[unit.pk].get("customers", 0))
            unit.is_root = unit.pk == self.root.pk
        ctx.update(units=units, root=self.root, breadcrumbs=breadcrumbs(self.request.user, self.root))
        return ctx
