"""The org tree page: units with their staff and customer counts (one aggregate query each)."""
from django.db.models import Count
from django.views.generic import ListView

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
        customers = dict(Customer.objects.visible_to(self.request.user).values_list("center").annotate(n=Count("id")))
        for unit in units:
            unit.staff_count = staff.get(unit.pk, 0)
            unit.customer_count = customers.get(unit.pk, 0)
        ctx["units"] = units
        return ctx
