"""Home panel for upper levels: the units directly below with their customer counts (R1 roll-up)."""
from django.db.models import Sum

from wealthdesk.core.scoping import scope_for
from wealthdesk.customers.models import CustomerCount

from .models import OrgUnit


def units_below_panel(request):
    scope = scope_for(request.user)
    if not scope.unit_path:
        return None
    children = list(OrgUnit.objects.filter(parent_id=scope.unit_id).order_by("path"))
    counts = dict(CustomerCount.objects.visible_to(request.user).values_list("center__path")
                  .annotate(n=Sum("n")).order_by())
    for child in children:
        child.customer_count = int(sum(n or 0 for path, n in counts.items() if path.startswith(child.path)))
    return {"children": children}
