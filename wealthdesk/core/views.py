"""Shared view pieces: role and customer-data gates, the home page, the audit log browser, language switch."""
from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from .models import AuditAction, AuditLog
from .registry import home_for, panels_for
from .roles import AUDIT_BROWSERS, Reach
from .scoping import scope_for


class RoleRequiredMixin(LoginRequiredMixin):
    """Pages for some roles only: ``allowed_roles`` (``None`` = any signed-in user). Wrong role → 403."""

    allowed_roles: frozenset[str] | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.allowed_roles is not None and not scope_for(request.user).has(*self.allowed_roles):
            raise PermissionDenied(_("您的岗位无权使用此页面。"))
        return super().dispatch(request, *args, **kwargs)


class CustomerDataMixin(RoleRequiredMixin):
    """Pages that show customer data: need a reach into customers (403 otherwise) and, per R28,
    an accepted confidentiality agreement (redirected to sign it first)."""

    min_reach = Reach.OWN

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if scope_for(request.user).reach < self.min_reach:
            raise PermissionDenied(_("您的岗位无权查看客户数据。"))
        if not request.user.has_accepted_agreement():
            return redirect(f"{reverse('staff:agreement')}?{urlencode({'next': request.get_full_path()})}")
        return super().dispatch(request, *args, **kwargs)


class HtmxTemplateMixin:
    """Render only ``partial_template_name`` for htmx requests (table refreshes)."""

    partial_template_name: str | None = None

    def get_template_names(self):
        if self.partial_template_name and getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return super().get_template_names()


class HomeView(LoginRequiredMixin, TemplateView):
    """A home page per role: each app contributes panels with real counts (see core.registry)."""

    template_name = "core/home.html"

    def get(self, request, *args, **kwargs):
        target = home_for(request)
        if target and request.GET.get("overview") != "1":
            return redirect(target)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["panels"] = panels_for(self.request, "home")
        return ctx


class AuditLogListView(RoleRequiredMixin, ListView):
    """Auditors (head office) and center heads browse the audit log within their scope."""

    allowed_roles = AUDIT_BROWSERS
    template_name = "core/audit_list.html"
    paginate_by = 50

    def get_queryset(self):
        scope = scope_for(self.request.user)
        qs = AuditLog.objects.select_related("unit").filter(unit__path__startswith=scope.unit_path)
        if scope.unit_path and scope.unit_path.count("/") <= 1:  # head office also sees rows without a unit
            qs = AuditLog.objects.select_related("unit").filter(
                unit__path__startswith=scope.unit_path
            ) | AuditLog.objects.select_related("unit").filter(unit__isnull=True)
        params = self.request.GET
        if params.get("action") in AuditAction.values:
            qs = qs.filter(action=params["action"])
        if params.get("actor"):
            qs = qs.filter(actor_name__icontains=params["actor"].strip())
        if params.get("customer", "").isdigit():
            qs = qs.filter(customer_id=int(params["customer"]))
        return qs.order_by("-at", "-id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["actions"] = AuditAction.choices
        return ctx


def bad_request(request, exception=None):
    """handler400: a bad query parameter (``core.dates.QueryParamError``) is named with the reason."""
    from django.shortcuts import render

    context = {"param": getattr(exception, "name", ""), "reason": getattr(exception, "message", "")}
    return render(request, "400.html", context, status=400)
