"""Registrations of the campaigns app: navigation, panels, the R25 compliance measure and the per-staff metrics
the performance sheet scores (R34)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import (
             register_audit_namer,
             register_compliance,
             register_metric,
             register_nav,
             register_panel,
    register_report_figures,
)
from wealthdesk.core.roles import Role

from . import metric_records, panels, report_figures, selectors
from .views import QUOTA_READERS, READERS

register_nav("campaigns", _("定向营销活动"), "campaigns:list", roles=list(READERS), section="daily", order=47,
             icon="megaphone")
register_nav("campaigns.quota", _("营销活动年度完成情况"), "campaigns:quota", roles=list(QUOTA_READERS),
             section="reports", order=66, icon="bullseye")

register_panel("campaigns.calls", _("营销活动待联系客户"), "campaigns/panels/calls.html", panels.my_calls_panel,
               page="workbench", roles=[Role.CLIENT_MANAGER], order=9)
register_panel("campaigns.quota", _("营销活动年度完成情况"), "campaigns/panels/quota.html", panels.quota_panel,
               page="head", roles=[Role.CENTER_HEAD], order=9)

register_compliance("campaigns.yearly", "R25", _("定向营销活动（每年小型6次、大型2次）"), selectors.compliance_quota,
                    period="year", overdue_url=lambda unit: reverse("campaigns:quota"), order=25)

register_metric("campaign_contacts", _("营销活动联系客户数"), selectors.metric_campaign_contacts)
register_metric("campaign_conversions", _("营销活动成交客户数"), selectors.metric_campaign_conversions)
register_metric("campaign_aum", _("营销活动带来资产"), metric_records.campaign_aum_metric, unit="yuan",
                records=metric_records.campaign_aum_records)
register_audit_namer("campaigns.campaign", panels.campaign_names)

register_report_figures("campaigns", _("定向营销活动"), report_figures.campaign_figures, order=60)
