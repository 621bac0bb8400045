"""Registrations of the cases app: navigation, panels (home, customer page), the branch's regional market report."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_nav, register_panel
from wealthdesk.core.roles import ROLE_REACH, Role

from . import panels
from .models import BULLETIN_READERS
from .views import ANSWERERS, READERS

register_nav("cases", _("上下联动"), "cases:cases", roles=list(READERS), section="daily", order=45, icon="arrow-down-up")
register_nav("cases.joint", _("私人银行联合服务"), "cases:joint_list",
             roles=[Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD, *ANSWERERS], section="daily", order=46,
             icon="people-fill")
register_nav("cases.bulletins", _("贵宾专刊"), "cases:issues", roles=list(BULLETIN_READERS), section="daily",
             order=47, icon="newspaper")

register_panel("cases.inbox", _("待答复的上下联动事项"), "cases/panels/inbox.html", panels.inbox_panel, page="home",
               roles=list(ANSWERERS), order=9)
register_panel("cases.customer", _("上下联动与联合服务"), "cases/panels/customer.html", panels.customer_panel,
               page="customer", roles=list(ROLE_REACH), order=45)
