"""Campaigns in the center's operating report (R25 in R35): campaigns started in the period by scale, and the
year's quota so far (the same figures as the campaigns list)."""
from __future__ import annotations

from django.utils.translation import gettext as _g

from .choices import QUOTA_STATUSES
from .models import Campaign
from .selectors import center_quota


def campaign_figures(unit, start, end) -> list[dict]:
    started = Campaign.objects.filter(center=unit, starts_on__range=(start, end), status__in=QUOTA_STATUSES)
    quota = center_quota(unit.pk, today=end)
    return [
        {"key": "campaigns.small", "label": _g("本期开展小型定向营销活动"), "value":
         started.filter(scale="small").count(), "unit": ""},
        {"key": "campaigns.large", "label": _g("本期开展大型营销活动"), "value": started.filter(scale="large").count(),
         "unit": ""},
        {"key": "campaigns.quota", "label": _g("本年距最低要求尚差（已开展小型 %(s)s / %(st)s，大型 %(l)s / %(lt)s）")
         % {"s": quota["small"], "st": quota["small_target"], "l": quota["large"], "lt": quota["large_target"]},
         "value": quota["short"], "unit": ""},
    ]
