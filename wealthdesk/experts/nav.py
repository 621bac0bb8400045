"""Registrations of the experts app (R4): navigation, the pool members' home, panels for the coordinators' and
the client managers' pages."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_audit_namer, register_home, register_nav, register_panel
from wealthdesk.core.roles import Role

from . import panels
from .models import POOL_ROLES
from .selectors import COORDINATOR_ROLES
from .views import LIST_READERS, POOL_READERS

register_nav("experts.mine", _("我的咨询"), "experts:mine", roles=list(POOL_ROLES), order=5, icon="chat-square-text")
register_nav("experts.consultations", _("专家咨询"), "experts:consultations", roles=list(LIST_READERS),
             section="daily", order=45, icon="chat-square-text")
register_nav("experts.pool", _("专家库"), "experts:pool", roles=list(POOL_READERS), section="admin", order=805,
             icon="person-badge")
register_home("experts:mine", roles=list(POOL_ROLES), order=5)

register_panel("experts.mine", _("我的专家咨询"), "experts/panels/mine.html", panels.mine_panel, page="home",
               roles=list(POOL_ROLES), order=1)
register_panel("experts.overdue", _("逾期未答复的专家咨询"), "experts/panels/overdue.html", panels.overdue_panel,
               page="home", roles=list(COORDINATOR_ROLES), order=9)
register_panel("experts.asked", _("我的专家咨询"), "experts/panels/asked.html", panels.asked_panel,
               page="workbench", roles=[Role.CLIENT_MANAGER], order=9)


def _names(ids):
    from .models import Consultation

    return {str(pk): str(Consultation(pk=pk)) for pk in ids}


register_audit_namer("experts.consultation", _names)
