"""Shared view pieces: role and customer-data gates, the home page, the audit log browser, language switch."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from .models import AuditAction, AuditLog
from .registry import find_audit_customer, home_for, panels_for
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
        response = super().dispatch(request, *args, **kwargs)
        is_export = response.has_header("Content-Disposition")  # an export writes its own audit row (core.exports)
        if request.method == "GET" and response.status_code == 200 and hasattr(self, "object_list") and not is_export:
            from .access_audit import audit_list_view

            context = getattr(response, "context_data", None) or {}
            paginator, listed = context.get("paginator"), context.get("count")  # OFFSET pages / keyset pages
            count = paginator.count if paginator else getattr(listed, "value", None)
            audit_list_view(request, what=type(self).__name__, count=count)
        return response


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
    """Auditors (head office) and center heads browse the audit log within their scope, filtered by person,
    customer (id or CIF number), action and date; each row in words (``core.audit_display``)."""

    allowed_roles = AUDIT_BROWSERS
    template_name = "core/audit_list.html"
    paginate_by = 50

    def _filters(self) -> tuple[dict, list[str]]:
        params, errors, out = self.request.GET, [], {}
        action = params.get("action", "")
        if action:
            if action in AuditAction.values:
                out["action"] = action
            else:
                errors.append(_("动作：没有这种动作，请从列表中选择。"))
        actor = params.get("actor", "").strip()
        if actor:
            out["actor"] = actor
        customer = params.get("customer", "").strip()
        if customer:
            found = int(customer) if customer.isdigit() and len(customer) < 12 else None
            found = find_audit_customer(self.request.user, customer) or found
            if found is None:
                errors.append(_("客户：没有找到客户号或编号为“%(q)s”的客户。") % {"q": customer[:40]})
            else:
                out["customer"] = found
        for key, label in (("start", _("开始日期")), ("end", _("结束日期"))):
            raw = params.get(key, "").strip()
            if raw:
                try:
                    out[key] = dt.date.fromisoformat(raw)
                except ValueError:
                    errors.append(_("%(field)s：请按 YYYY-MM-DD 填写日期。") % {"field": label})
        if out.get("start") and out.get("end") and out["start"] > out["end"]:
            errors.append(_("结束日期：不能早于开始日期。"))
        return out, errors

    def get_queryset(self):
        scope = scope_for(self.request.user)
        qs = AuditLog.objects.select_related("unit").filter(unit__path__startswith=scope.unit_path)
        if scope.unit_path and scope.unit_path.count("/") <= 1:  # head office also sees rows without a unit
            qs = AuditLog.objects.select_related("unit").filter(
                unit__path__startswith=scope.unit_path
            ) | AuditLog.objects.select_related("unit").filter(unit__isnull=True)
        filters, self.filter_errors = self._filters()
        if self.filter_errors:
            return qs.none()
        if "action" in filters:
            qs = qs.filter(action=filters["action"])
        if "actor" in filters:
            qs = qs.filter(actor_name__icontains=filters["actor"])
        if "customer" in filters:
            qs = qs.filter(customer_id=filters["customer"])
        tz = timezone.get_current_timezone()
        if "start" in filters:
            qs = qs.filter(at__gte=dt.datetime.combine(filters["start"], dt.time.min, tzinfo=tz))
        if "end" in filters:
            qs = qs.filter(at__lt=dt.datetime.combine(filters["end"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
        return qs.order_by("-at", "-id")

    def get_context_data(self, **kwargs):
        from .audit_display import describe_rows

        ctx = super().get_context_data(**kwargs)
        ctx["actions"] = AuditAction.choices
        ctx["filter_errors"] = self.filter_errors
        ctx["object_list"] = describe_rows(ctx["object_list"])
        return ctx


def bad_request(request, exception=None):
    """handler400: a bad query parameter (``core.dates.QueryParamError``) is named with the reason."""
    from django.shortcuts import render

    context = {"param": getattr(exception, "name", ""), "reason": getattr(exception, "message", "")}
    return render(request, "400.html", context, status=400)
