"""Registrations of the complaints app: navigation, panels, parameters, the "complaints_received" metric."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_metric, register_nav, register_panel, register_unit_figures
from wealthdesk.core.roles import Role

from . import metric_records, panels, unit_figures
from .selectors import complaints_received_metric, complaints_received_windows
from .services import HANDLER_ROLES, RECORDERS
from .stats import STATS_ROLES

register_nav("complaints", _("投诉"), "complaints:list", roles=sorted(RECORDERS | {Role.AUDITOR}), order=60,
             icon="megaphone")
register_nav("complaint_stats", _("投诉统计"), "complaints:stats_daily", roles=sorted(STATS_ROLES), order=61,
             icon="bar-chart")
register_metric("complaints_received", _("受理投诉数"), complaints_received_metric,
                records=metric_records.received_records, windows=complaints_received_windows)
register_metric("complaints_overdue", _("超期未答复投诉数"), metric_records.overdue_metric,
                records=metric_records.overdue_records, direction="negative", windows=metric_records.overdue_windows)

register_panel("complaints.head", _("投诉：待办与超期"), "complaints/panels/open.html", panels.head_panel,
               page="head", roles=[Role.CENTER_HEAD], order=40)
register_panel("complaints.subtree", _("辖内投诉：待办与超期"), "complaints/panels/open.html", panels.subtree_panel,
               page="home", roles=sorted(HANDLER_ROLES - {Role.CENTER_HEAD}), order=40)
register_panel("complaints.mine", _("我负责的投诉"), "complaints/panels/mine.html", panels.owner_panel,
               page="workbench", order=40)
register_panel("complaints.mine_home", _("我负责的投诉"), "complaints/panels/mine.html", panels.owner_panel,
               page="home", roles=[Role.BUSINESS_SUPERVISOR, Role.TEAM_LEAD, Role.LOBBY_MANAGER, Role.CASH_TELLER,
                                   Role.NONCASH_TELLER], order=40)
register_panel("complaints.customer", _("客户投诉"), "complaints/panels/customer.html", panels.customer_panel,
               page="customer", order=60)
register_unit_figures("complaints.answered", unit_figures.FIGURES, unit_figures.complaint_figures)
