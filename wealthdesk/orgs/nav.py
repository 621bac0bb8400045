from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_nav, register_panel
from wealthdesk.core.roles import Role

ORG_VIEWERS = frozenset({Role.SYSTEM_ADMIN, Role.HQ_SERVICE, Role.BRANCH_SERVICE, Role.SUBBRANCH_SERVICE,
                         Role.AUDITOR, Role.CENTER_HEAD})
UPPER = [Role.HQ_SERVICE, Role.BRANCH_SERVICE, Role.SUBBRANCH_SERVICE, Role.AUDITOR, Role.QUALITY_MANAGER]

register_nav("orgs", _("机构"), "orgs:unit-list", roles=ORG_VIEWERS, order=800, icon="diagram-3")


def _units_below(request):
    from .panels import units_below_panel

    return units_below_panel(request)


register_panel("orgs.units_below", _("下辖机构"), "orgs/panels/units_below.html", _units_below, roles=UPPER,
               order=20)
