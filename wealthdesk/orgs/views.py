"""The org tree page: units with their staff and customer counts (one aggregate query each)."""
from django.db.models import Count
from django.views.generic import ListView

from wealthdesk.core.rollup import subtree_sums
from wealthdesk.core.views import RoleRequiredMixin
from wealthdesk.customers.models import Customer
from wealthdesk.staff.models import User

from .models import OrgUnit
from .nav import ORG_VIEWERS


class UnitListView(RoleRequiredMixin, ListView):
    allowed_roles = ORG_VIEWERS
    template_name = "orgs/unit_list.html"
    context_object_name = "units"

    def get_queryset(self):
        return OrgUnit.objects.visible_to(self.request.user).order_by("path")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        units = list(ctx["units"])
        staff = dict(User.objects.filter(unit__in=units).values_list("unit").annotate(n=Count("id")))
        per_center = {center: {"customers": n} for center, n in
                      Customer.objects.visible_to(self.request.user).values_list("center").annotate(n=Count("id"))}
        # R1: a branch, tier-2 branch or sub-branch shows the sum of its subtree, as the home panel does.
        customers = subtree_sums(units, per_center)
        for unit in units:
            unit.staff_count = staff.get(unit.pk, 0)
            unit.customer_count = int(customers[unit.pk].get("customers", 0))
        ctx["units"] = units
        return ctx
