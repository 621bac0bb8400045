"""The security officer's pages: the alert list (filters, pagination), an alert's detail and closing it, "scan now"."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from wealthdesk.core.audit import audit_record
from wealthdesk.core.models import AuditAction
from wealthdesk.core.roles import Role
from wealthdesk.core.views import RoleRequiredMixin

from . import alerts
from .choices import AlertKind, AlertStatus
from .models import SecurityAlert

OFFICERS = frozenset({Role.SECURITY_OFFICER})


def alert_filters(params) -> tuple[dict, list[str]]:
    """The list's filters from the query string; an unknown value is reported and ignored."""
    found, errors = {}, []
    kind, status = params.get("kind", ""), params.get("status", "")
    if kind:
        if kind in AlertKind.values:
            found["kind"] = kind
        else:
            errors.append(_("类型“%(v)s”不存在。") % {"v": kind[:30]})
    if status:
        if status in AlertStatus.values:
            found["status"] = status
        else:
            errors.append(_("状态“%(v)s”不存在。") % {"v": status[:30]})
    return found, errors


class AlertListView(RoleRequiredMixin, ListView):
    template_name = "security/alert_list.html"
    allowed_roles = OFFICERS
    paginate_by = 50
    context_object_name = "alerts"

    def get_queryset(self):
        self.filters, self.errors = alert_filters(self.request.GET)
        return (SecurityAlert.objects.visible_to(self.request.user).filter(**self.filters)
                .select_related("unit", "closed_by").order_by("-day", "-id"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(kinds=AlertKind.choices, statuses=AlertStatus.choices, filters=self.filters, errors=self.errors)
        return ctx


class AlertDetailView(RoleRequiredMixin, DetailView):
    template_name = "security/alert_detail.html"
    allowed_roles = OFFICERS
    context_object_name = "alert"

    def get_queryset(self):
        return SecurityAlert.objects.visible_to(self.request.user).select_related("unit", "closed_by", "user")

    def get_object(self, queryset=None):
        alert = super().get_object(queryset)
        audit_record(actor=self.request.user, action=AuditAction.VIEW, obj=alert, unit_id=alert.unit_id)
        return alert


class AlertCloseView(RoleRequiredMixin, View):
    allowed_roles = OFFICERS

    def post(self, request, pk):
        alert = get_object_or_404(SecurityAlert.objects.visible_to(request.user), pk=pk)
        try:
            alerts.alert_close(actor=request.user, alert=alert, note=request.POST.get("note", ""))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("告警已处理。"))
        return redirect("security:alert", pk=alert.pk)


class ScanNowView(RoleRequiredMixin, View):
    allowed_roles = OFFICERS

    def post(self, request):
        raised = alerts.scan(timezone.localdate(), actor=request.user)
        messages.info(request, _("扫描完成，新增告警 %(n)d 条。") % {"n": len(raised)})
        return redirect("security:alerts")
