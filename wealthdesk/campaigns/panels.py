"""Panels: a client manager's open campaign calls (workbench) and the center's yearly quota (head page)."""
from django.db.models import Count

from wealthdesk.orgs.choices import UnitKind

from . import selectors
from .models import Campaign


def my_calls_panel(request):
    rows = list(selectors.my_calls(request.user).values("campaign_id", "campaign__theme")
                .annotate(n=Count("id")).order_by("campaign_id"))
    return {"rows": rows} if rows else None


def quota_panel(request):
    unit = request.user.unit
    if unit is None or unit.kind != UnitKind.CENTER:
        return None
    return {"quota": selectors.center_quota(unit.pk)}


def campaign_names(ids: list[str]) -> dict[str, str]:
    numeric = [int(i) for i in ids if str(i).isdigit()]
    return {str(pk): theme for pk, theme in Campaign.objects.filter(pk__in=numeric).values_list("pk", "theme")}
