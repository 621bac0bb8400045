"""Pages of the branch's regional market and customer information (R40): the list (the branch's own reports, head
office's arrived ones), starting this quarter's report, one report with its editable texts and the chain."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from wealthdesk.contacts.viewutils import add_service_errors
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.submission import StaleVersion
from wealthdesk.core.submission_views import chain_context, handle_chain_post
from wealthdesk.core.views import RoleRequiredMixin
from wealthdesk.customers.choices import Tier

from . import market
from .forms import MarketInfoForm
from .models import MarketInfoReport

READERS = frozenset({Role.BRANCH_SERVICE, Role.HQ_SERVICE})


class MarketListView(RoleRequiredMixin, ListView):
    allowed_roles = READERS
    template_name = "cases/market_list.html"
    paginate_by = 30

    def get_queryset(self):
        return (MarketInfoReport.objects.visible_to(self.request.user).select_related("unit", "receiver_unit")
                .order_by("-period_start", "unit__path"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_write"] = scope_for(self.request.user).has(*market.WRITERS)
        return ctx

    def post(self, request):
        if not scope_for(request.user).has(*market.WRITERS):
            return self.get(request)
        report = market.report_create(actor=request.user, day=timezone.localdate())
        return redirect("cases:market", pk=report.pk)


class MarketDetailView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def _report(self, request, pk):
        return get_object_or_404(MarketInfoReport.objects.visible_to(request.user).select_related("unit"), pk=pk)

    def _render(self, request, report, form=None, chain_errors=(), status=200, comment=""):
        sub = chain_context(request.user, report, errors=chain_errors, comment=comment)
        editable = sub["editable"]
        form = form or (MarketInfoForm(initial={n: getattr(report, n) for n in MarketInfoReport.TEXT_FIELDS})
                        if editable else None)
        tiers = [(Tier(t).label, f) for t, f in report.figures.get("tiers", {}).items() if t in Tier.values]
        return render(request, "cases/market_detail.html", {"report": report, "sub": sub, "form": form,
                                                             "tiers": tiers, "cases": report.figures.get("cases", 0)},
                      status=status)

    def get(self, request, pk):
        return self._render(request, self._report(request, pk))

    def post(self, request, pk):
        report = self._report(request, pk)
        if request.POST.get("action") in ("submit", "receive", "return", "share"):
            errors = handle_chain_post(request, report)
            if errors:
                report.refresh_from_db()
                return self._render(request, report, chain_errors=errors, status=400,
                                    comment=request.POST.get("comment", ""))
            messages.success(request, _("已处理。"))
            return redirect("cases:market", pk=report.pk)
        form = MarketInfoForm(request.POST)
        if not form.is_valid():
            return self._render(request, report, form=form, status=400)
        version = request.POST.get("version", "")
        try:
            market.report_update(actor=request.user, report=report, version=int(version) if version.isdigit() else None,
                                 **form.cleaned_data)
        except StaleVersion as exc:
            form.add_error(None, str(exc))
            return self._render(request, report, form=form, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(request, report, form=form, status=400)
        messages.success(request, _("已保存。"))
        return redirect("cases:market", pk=report.pk)
