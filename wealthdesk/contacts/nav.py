"""Registrations of the contacts app: nav, the customer-page timeline panel and the "contacts" metric."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.params import register_defaults
from wealthdesk.core.registry import register_metric, register_nav, register_note, register_panel, register_unit_figures
from wealthdesk.core.roles import Role

from . import coverage_metric, metric_records, panels, unit_figures
from .selectors import (
    contacts_metric,
    contacts_note,
    contacts_windows,
    customers_contacted_metric,
    customers_contacted_windows,
)

READERS = [Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD]

register_nav("contacts", _("客户联系"), "contacts:list", roles=READERS, order=30, icon="telephone")
register_panel("contacts.timeline", _("联系记录"), "contacts/panels/timeline.html", panels.customer_timeline_panel,
               page="customer", order=20)
register_metric("contacts", _("联系客户次数"), contacts_metric, records=metric_records.contacts_records,
                windows=contacts_windows)
register_metric("customers_contacted", _("联系客户数"), customers_contacted_metric,
                records=metric_records.customers_contacted_records, windows=customers_contacted_windows)
register_note("contacts", contacts_note)
register_defaults({"performance.vip_tiers": ("private,core", "绩效扣分：须每月联系的贵宾客户级别（逗号分隔）")})
register_metric("vip_contacts_missed", _("当月未联系的贵宾客户数"), metric_records.vip_missed_metric,
                records=metric_records.vip_missed_records, direction="negative",
                windows=metric_records.vip_missed_windows)
register_unit_figures("contacts.coverage", unit_figures.FIGURES, unit_figures.contact_figures)
register_metric("contact_coverage", _("联系覆盖率"), unit="percent", parts=coverage_metric.coverage_parts,
                records=coverage_metric.coverage_records)

from . import summaries  # noqa: E402

summaries.register()
