from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import (
    register_audit_customer_finder,
    register_audit_namer,
    register_metric,
    register_nav,
    register_panel,
    register_unit_figures,
)
from wealthdesk.core.roles import ROLE_REACH, Role

from . import metric_records, panels, unit_figures
from .choices import PREMIUM_TIERS, Tier
from .selectors import (
    metric_new_premium,
    metric_new_premium_windows,
    new_customers_metric,
    new_customers_windows,
    new_premium_of_tier,
)
from .services import CUSTOMER_MANAGERS

register_nav("customers", _("客户"), "customers:list", roles=list(ROLE_REACH), order=10, icon="people")
register_panel("customers.tiers", _("客户分层"), "customers/panels/tiers.html", panels.tier_panel,
               roles=list(ROLE_REACH), order=10)
register_panel("customers.tiers.workbench", _("我的客户分层"), "customers/panels/tiers.html", panels.tier_panel,
               roles=list(ROLE_REACH), page="workbench", order=90)
register_panel("customers.tiers.head", _("本中心客户分层"), "customers/panels/tiers.html", panels.tier_panel,
               roles=list(ROLE_REACH), page="head", order=91)
register_panel("customers.overload.head", _("客户经理管户负荷"), "customers/panels/overload.html", panels.overload_panel,
               roles=list(CUSTOMER_MANAGERS), page="head", order=92)
register_panel("customers.overload", _("客户经理管户负荷"), "customers/panels/overload.html", panels.overload_panel,
               roles=list(CUSTOMER_MANAGERS - {Role.CENTER_HEAD}), order=12)
register_audit_namer("customers.customer", panels.audit_names)
register_audit_customer_finder(panels.audit_find_customer)

register_metric("new_premium_customers", _("新增优质客户数"), metric_new_premium,
                records=metric_records.new_premium_records, windows=metric_new_premium_windows)
# New premium customers by the tier their first rise reached (R33 "by tier"); the three add up to the whole.
NEW_PREMIUM_BY_TIER = {Tier.PRIVATE: _("新增私人银行客户数"), Tier.CORE: _("新增核心优质客户数"),
                       Tier.PREMIUM: _("新增普通优质客户数")}
for _tier in PREMIUM_TIERS:
    register_metric(f"new_premium_{_tier}", NEW_PREMIUM_BY_TIER[_tier], new_premium_of_tier(_tier),
                    records=metric_records.new_premium_records_of(_tier))
register_metric("new_customers", _("新增客户数"), new_customers_metric, records=metric_records.new_customers_records,
                windows=new_customers_windows)
register_unit_figures("customers.tiers", unit_figures.CUSTOMER_FIGURES, unit_figures.customers_by_tier)
register_unit_figures("customers.tier_changes", unit_figures.TIER_FIGURES, unit_figures.tier_changes)

from . import summaries  # noqa: E402

summaries.register()
