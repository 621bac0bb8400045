from django.utils.translation import gettext_lazy as _

from wealthdesk.core.params import register_defaults
from wealthdesk.core.registry import register_metric, register_nav, register_panel, register_unit_figures
from wealthdesk.core.roles import UPPER_LEVEL, Role

from . import panels, unit_figures
from .selectors import metric_alerts_opened
from .views import CENTER_ROLES, MATURITY_ROLES, MY_ROLES

register_defaults({
    "maturity.window_days": (30, "到期提醒提前天数"),
})

register_nav("alerts.mine", _("我的预警"), "alerts:mine", roles=[Role.CLIENT_MANAGER], order=20, icon="bell")
register_nav("alerts.center", _("预警管理"), "alerts:list", roles=list(CENTER_ROLES), order=21, icon="bell")
register_nav("alerts.maturities", _("到期提醒"), "alerts:maturities", roles=list(MATURITY_ROLES), order=22,
             icon="calendar-event")

register_panel("alerts.mine", _("我的预警"), "alerts/panels/my_alerts.html", panels.my_alerts_panel,
               page="workbench", roles=list(MY_ROLES), order=20)
register_panel("alerts.maturities", _("到期提醒"), "alerts/panels/my_maturities.html", panels.my_maturities_panel,
               page="workbench", roles=list(MY_ROLES), order=21)
register_panel("alerts.overdue", _("逾期未处理的预警"), "alerts/panels/head_overdue.html", panels.head_overdue_panel,
               page="head", roles=[Role.CENTER_HEAD], order=20)
register_panel("alerts.review", _("待复核的预警关闭"), "alerts/panels/head_review.html", panels.head_review_panel,
               page="head", roles=[Role.CENTER_HEAD], order=21)
register_panel("alerts.subtree", _("辖内预警"), "alerts/panels/subtree.html", panels.subtree_alerts_panel,
               page="home", roles=list(UPPER_LEVEL - {Role.QUALITY_MANAGER}), order=20)
register_panel("alerts.customer", _("资金异动与降级预警"), "alerts/panels/customer.html", panels.customer_alerts_panel,
               page="customer", roles=list(MY_ROLES | CENTER_ROLES), order=20)
register_metric("alerts_opened", _("资金异动与降级预警数"), metric_alerts_opened)

register_unit_figures("alerts.alerts", unit_figures.ALERT_FIGURES, unit_figures.alert_figures)
register_unit_figures("alerts.maturities", unit_figures.MATURITY_FIGURES, unit_figures.maturities)

from . import summaries  # noqa: E402

summaries.register()
