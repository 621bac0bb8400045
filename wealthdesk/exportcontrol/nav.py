"""Navigation of export approval: everyone's own requests, the approvers' inbox."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_nav

from .rules import APPROVER_ROLES
from .views import REQUESTER_ROLES

register_nav("exportcontrol.mine", _("我的导出申请"), "exportcontrol:mine", roles=sorted(REQUESTER_ROLES), section="admin", order=870,
             icon="file-earmark-lock")
register_nav("exportcontrol.inbox", _("导出审批"), "exportcontrol:inbox", roles=list(APPROVER_ROLES), section="admin",
             order=871, icon="shield-check")
