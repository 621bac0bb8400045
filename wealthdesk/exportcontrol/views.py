"""Pages of export approval (issue 15; GB/T 35273 §7.1): the request form an export above the threshold leads to,
the requester's list, the approver's inbox, one request with its decision and its single download."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.exports import approval_threshold
from wealthdesk.core.masking import mask_identifiers_in_text
from wealthdesk.core.roles import Role
from wealthdesk.core.views import RoleRequiredMixin

from . import replay, rules, selectors, services
from .choices import RequestStatus
from .forms import DecisionForm, RequestForm


def _errors(exc: ValidationError) -> list[str]:
    return [m for msgs in exc.message_dict.values() for m in msgs] if hasattr(exc, "error_dict") else exc.messages


# Least privilege: an external advisor exports nothing, so has no export requests either (R4).
REQUESTER_ROLES = frozenset(Role) - {Role.FINANCIAL_ADVISOR}


class NewRequestView(RoleRequiredMixin, View):
    allowed_roles = REQUESTER_ROLES
    template_name = "exportcontrol/request_form.html"

    def _render(self, request, form, *, errors=(), status=200):
        url = form.data.get("url") if form.is_bound else form.initial.get("url", "")
        found, probe_errors = None, []
        if url:
            try:
                found = replay.probe(request, url, request.user)
            except ValidationError as exc:
                probe_errors = _errors(exc)
        else:
            probe_errors = [_("导出链接：必填。")]
        return render(request, self.template_name, {
            "form": form, "found": found,
            "shown_filters": {k: mask_identifiers_in_text(str(v)) for k, v in (found.filters if found else {}).items()}, "errors": list(errors) or probe_errors, "threshold": approval_threshold(),
            "needs_approval": bool(found and found.customer_data and found.rows > approval_threshold()),
            "direct_url": url if found and not probe_errors else ""}, status=status)

    def get(self, request):
        return self._render(request, RequestForm(initial={"url": request.GET.get("url", "")}))

    def post(self, request):
        form = RequestForm(request.POST)
        if not form.is_valid():
            errors = [f"{form.fields[k].label}：{m}" for k, msgs in form.errors.items() for m in msgs]
            return self._render(request, form, errors=errors, status=400)
        try:
            req = services.request_export(request, actor=request.user, url=form.cleaned_data["url"],
                                          reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            return self._render(request, form, errors=_errors(exc), status=400)
        messages.success(request, _("导出申请已提交，审批通过后可在此下载。"))
        return redirect("exportcontrol:detail", pk=req.pk)


class MyRequestsView(RoleRequiredMixin, ListView):
    allowed_roles = REQUESTER_ROLES
    template_name = "exportcontrol/my_requests.html"
    context_object_name = "requests"
    paginate_by = 25

    def get_queryset(self):
        status = self.request.GET.get("status", "")
        return selectors.my_requests(self.request.user, status=status if status in RequestStatus.values else "")

    def get_context_data(self, **kwargs):
        return super().get_context_data(statuses=RequestStatus.choices, **kwargs)


class InboxView(RoleRequiredMixin, ListView):
    allowed_roles = rules.APPROVER_ROLES
    template_name = "exportcontrol/inbox.html"
    context_object_name = "requests"
    paginate_by = 25

    def get_queryset(self):
        status = self.request.GET.get("status", RequestStatus.PENDING)
        if status != "all" and status not in RequestStatus.values:
            status = RequestStatus.PENDING
        return selectors.inbox(self.request.user, status=status)

    def get_context_data(self, **kwargs):
        return super().get_context_data(statuses=RequestStatus.choices,
                                        status=self.request.GET.get("status", RequestStatus.PENDING), **kwargs)


class DetailView(RoleRequiredMixin, View):
    allowed_roles = REQUESTER_ROLES
    template_name = "exportcontrol/request_detail.html"

    def render_detail(self, request, req, *, form=None, errors=(), status=200):
        user = request.user
        return render(request, self.template_name, {
            "req": req, "form": form or DecisionForm(initial={"version": req.version}), "errors": list(errors),
            "may_decide": req.status == RequestStatus.PENDING and rules.may_decide(user, req),
            "is_requester": req.requester_id == user.pk}, status=status)

    def get(self, request, pk):
        return self.render_detail(request, selectors.request_get(request.user, pk))


class DecideView(DetailView):
    def get(self, request, pk, decision):
        return redirect("exportcontrol:detail", pk=pk)

    def post(self, request, pk, decision):
        req = selectors.request_get(request.user, pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            errors = [f"{form.fields[k].label or k}：{m}" for k, msgs in form.errors.items() for m in msgs]
            return self.render_detail(request, req, form=form, errors=errors, status=400)
        try:
            services.decide(actor=request.user, req=req, approve=decision == "approve",
                            comment=form.cleaned_data["comment"], version=form.cleaned_data["version"])
        except ValidationError as exc:
            req.refresh_from_db()
            return self.render_detail(request, req, form=form, errors=_errors(exc),
                                      status=409 if isinstance(exc, Conflict) else 400)
        messages.success(request, _("已批准。") if decision == "approve" else _("已拒绝。"))
        return redirect("exportcontrol:detail", pk=pk)


class DownloadView(RoleRequiredMixin, View):
    allowed_roles = REQUESTER_ROLES
    def get(self, request, pk):
        return redirect("exportcontrol:detail", pk=pk)

    def post(self, request, pk):
        req = selectors.request_get(request.user, pk)
        try:
            return services.download(request, actor=request.user, req=req)
        except services.DownloadRefused as refused:
            req.refresh_from_db()
            return render(request, "exportcontrol/download_refused.html", {"req": req, "message": refused.message},
                          status=refused.status)
