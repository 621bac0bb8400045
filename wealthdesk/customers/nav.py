from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_metric, register_nav, register_panel
from wealthdesk.core.roles import ROLE_REACH

from . import panels
from .selectors import new_customers_metric

register_nav("customers", _("客户"), "customers:list", roles=list(ROLE_REACH), order=10, icon="people")
register_panel("customers.tiers", _("客户分层"), "customers/panels/tiers.html", panels.tier_panel,
               roles=list(ROLE_REACH), order=10)
register_panel("customers.tiers.workbench", _("我的客户分层"), "customers/panels/tiers.html", panels.tier_panel,
               roles=list(ROLE_REACH), page="workbench", order=90)
register_panel("customers.tiers.head", _("本中心客户分层"), "customers/panels/tiers.html", panels.tier_panel,
               roles=list(ROLE_REACH), page="head", order=91)
register_metric("new_customers", _("新增客户数"), new_customers_metric)
