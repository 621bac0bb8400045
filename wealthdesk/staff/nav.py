from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_panel
from wealthdesk.core.roles import Role

from .panels import staff_panel

HEADS = [Role.CENTER_HEAD, Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE]

register_panel("staff.unit", _("本机构员工"), "staff/panels/staff.html", staff_panel, roles=HEADS, order=30)
register_panel("staff.unit.head", _("本中心员工"), "staff/panels/staff.html", staff_panel,
               roles=[Role.CENTER_HEAD], page="head", order=90)
