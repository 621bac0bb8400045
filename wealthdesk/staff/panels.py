"""Home panel: the staff of the user's unit by position (center heads and upper levels)."""
from django.db.models import Count

from wealthdesk.core.roles import Role

from .models import StaffRole


def staff_panel(request):
    unit = request.user.unit
    if unit is None:
        return None
    rows = (StaffRole.objects.filter(user__unit=unit, user__is_active=True)
            .values("role").annotate(n=Count("user_id")).order_by("role"))
    labels = dict(Role.choices)
    items = [{"label": labels.get(r["role"], r["role"]), "count": r["n"]} for r in rows]
    return {"unit": unit, "rows": items, "total": sum(i["count"] for i in items)}
