"""The API's default permission (``DEFAULT_PERMISSION_CLASSES``): its own module, because DRF imports it while
``rest_framework.views`` is still loading (no import of views, generics or core.api here)."""
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from .roles import Reach
from .scoping import scope_for

AGREEMENT_MESSAGE = _("请先签署最新的保密协议后再查看客户数据。")


class AgreementGate(permissions.IsAuthenticated):
    """R28 in one place, the default permission of every endpoint (``DEFAULT_PERMISSION_CLASSES``).

    A signed-in member of staff whose position reaches into customer data and who has not accepted the current
    confidentiality agreement gets 403 with a message on every endpoint. Views that name their own
    ``permission_classes`` keep the gate because ``HasRole`` and ``CustomerDataPermission`` extend it; only views
    that set ``agreement_exempt = True`` (sign-in, schema) skip it.
    """

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if getattr(view, "agreement_exempt", False):
            return True
        if scope_for(request.user).reach >= Reach.OWN and not request.user.has_accepted_agreement():
            raise exceptions.PermissionDenied(AGREEMENT_MESSAGE)
        return True
