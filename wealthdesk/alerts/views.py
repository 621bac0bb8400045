"""Alert pages: my alerts, the center's alerts (subtree for upper levels), the detail with its evidence, the
follow-up / close / review / reopen dialogs (htmx), the Excel export, the rules and the maturity reminders."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.dates import QueryParamError
from wealthdesk.core.exports import export_response, filters_from
from wealthdesk.core.keyset import KeysetListMixin
from wealthdesk.core.masking import name_masker
from wealthdesk.core.roles import UPPER_LEVEL, Reach, Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import CustomerDataMixin, HtmxTemplateMixin, RoleRequiredMixin

from . import selectors, services
from .choices import AlertKind, AlertStatus, CloseReason
from .evidence import evidence_rows
from .forms import ACTION_FORMS, ManagerFilterForm, RuleForm
from .models import Alert, AlertRule

MY_ROLES = frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD})
CENTER_ROLES = frozenset({Role.CENTER_HEAD, Role.TEAM_LEAD, Role.AUDITOR}) | (UPPER_LEVEL - {Role.QUALITY_MANAGER})
MATURITY_ROLES = frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD})
STATUS_FILTERS = [("open", gettext_lazy("未关闭")), *AlertStatus.choices, ("pending_review", gettext_lazy("待复核"))]


class AlertListView(CustomerDataMixin, HtmxTemplateMixin, KeysetListMixin, ListView):
    """The center's alerts (head and team lead: the center or team; upper levels: their subtree), with filters."""

    template_name = "alerts/alert_list.html"
    partial_template_name = "alerts/_alert_table.html"
    allowed_roles = CENTER_ROLES
    mine = False

    def get_queryset(self):
        p = self.request.GET
        return selectors.alert_list(self.request.user, mine=self.mine, status=p.get("status", ""),
                                    kind=p.get("kind", ""), overdue=p.get("overdue", ""),
                                    manager="" if self.mine else self._manager())

    def _manager(self) -> str:
        """The chosen client manager's id, checked against the user's scope; a bad one answers 400 naming it."""
        self.manager_form = ManagerFilterForm(self.request.GET, user=self.request.user)
        if not self.request.GET.get("manager"):
            return ""
        if not self.manager_form.is_valid():
            raise QueryParamError("manager", self.manager_form.errors["manager"][0])
        manager = self.manager_form.cleaned_data["manager"]
        return str(manager.pk) if manager else ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(mine=self.mine, kinds=AlertKind.choices, statuses=STATUS_FILTERS, today=selectors.today(),
                   counts=selectors.alert_counts(user, mine=self.mine))
        by_rule = selectors.counts_by_rule(user)
        ctx["by_rule"] = [(v, label, by_rule.get(v, 0)) for v, label in AlertKind.choices]
        # The manager filter (a staff picker) is for those who see other staff's alerts: a team's reach or more.
        wide = scope_for(self.request.user).reach >= Reach.TEAM
        ctx["manager_form"] = getattr(self, "manager_form", None) if wide and not self.mine else None
        return ctx


class MyAlertListView(AlertListView):
    """My alerts: those assigned to the signed-in client manager."""

    allowed_roles = MY_ROLES
    mine = True


class AlertDetailView(CustomerDataMixin, DetailView):
    """One alert with the transactions or balance points that triggered it and its follow-through (audited)."""

    template_name = "alerts/alert_detail.html"
    context_object_name = "alert"
    allowed_roles = services.ALERT_VIEWERS

    def get_queryset(self):
        return Alert.objects.visible_to(self.request.user).select_related(
            "customer", "assigned_to", "center", "rule", "closed_by", "reviewed_by")

    def get_object(self, queryset=None):
        alert = super().get_object(queryset)
        audit_record(actor=self.request.user, action=AuditAction.VIEW, obj=alert)
        return alert

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        alert, user = self.object, self.request.user
        evidence = evidence_rows(alert)
        groups = [{"type": t, "rows": [e for e in evidence if e["type"] == t]} for t in ("transaction", "balance", "tier")]
        ctx.update(evidence=evidence, evidence_groups=[g for g in groups if g["rows"]],
                   matches=list(alert.matches.select_related("rule").order_by("-amount", "id")),
                   notes=selectors.alert_notes(user, alert),
                   today=selectors.today(), can_work=alert.is_open and services.can_work(user, alert),
                   can_review=alert.status == AlertStatus.CLOSED and alert.review_state == "pending"
                   and services.can_review(user, alert),
                   can_reopen=alert.status == AlertStatus.CLOSED and services.can_review(user, alert))
        return ctx


ACTION_ROLES = {"follow-up": services.WORKERS, "close": services.WORKERS, "review": services.REVIEWERS,
                "reopen": services.REVIEWERS}
ACTION_TITLES = {"follow-up": gettext_lazy("填写跟进情况"), "close": gettext_lazy("关闭预警"),
                 "review": gettext_lazy("复核关闭"), "reopen": gettext_lazy("重新打开预警")}


class AlertActionView(CustomerDataMixin, View):
    """GET: the dialog (htmx fragment); POST: run the service. Bad input re-renders the form with the reasons."""

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in ACTION_FORMS:
            raise Http404
        self.allowed_roles = ACTION_ROLES[kwargs["action"]]
        return super().dispatch(request, *args, **kwargs)

    def _alert(self, pk):
        return get_object_or_404(Alert.objects.visible_to(self.request.user).select_related("customer"), pk=pk)

    def _render(self, alert, action, form, status=200):
        return render(self.request, "alerts/_action_form.html",
                      {"alert": alert, "action": action, "form": form, "title": ACTION_TITLES[action],
                       "other": CloseReason.OTHER}, status=status)

    def get(self, request, pk, action):
        return self._render(self._alert(pk), action, ACTION_FORMS[action]())

    def post(self, request, pk, action):
        alert = self._alert(pk)
        form = ACTION_FORMS[action](request.POST)
        status = 400  # htmx swaps 400/409/422 into the dialog (base template)
        if form.is_valid():
            data = form.cleaned_data
            common = {"actor": request.user, "alert": alert, "version": request.POST.get("version")}
            try:
                if action == "follow-up":
                    services.alert_follow_up(**common, note=data["note"])
                elif action == "close":
                    services.alert_close(**common, reason=data["reason"], reason_other=data["reason_other"],
                                         measures=data["measures"])
                elif action == "review":
                    services.alert_review(**common, comment=data["comment"])
                else:
                    services.alert_reopen(**common, reason=data["reason"])
            except ValidationError as exc:
                if isinstance(exc, Conflict):
                    status = 409
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
        if not form.is_valid():
            return self._render(alert, action, form, status=status)
        messages.success(request, _("已保存。"))
        url = reverse("alerts:detail", args=[alert.pk])
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)


class AlertExportView(AlertListView):
    """The filtered alert list as 《大额资金异动及客户降级预警跟进表》 (masked; audited)."""

    paginate_by = None

    def get(self, request, *args, **kwargs):
        user, queryset = request.user, self.get_queryset()
        headers = [_("编号"), _("发生日期"), _("预警类型"), _("客户号"), _("客户"), _("金额（元）"), _("摘要"),
                   _("负责客户经理"), _("跟进期限"), _("状态"), _("原因"), _("采取的措施"), _("复核状态")]
        name = name_masker(user)
        rows = ((a.pk, a.as_of, a.get_kind_display(), a.customer.cif_no, name(a.customer.name), a.amount,
                 a.summary, str(a.assigned_to or ""), a.due_date, a.get_status_display(),
                 a.get_close_reason_display() + (f"：{a.close_reason_other}" if a.close_reason_other else ""),
                 a.measures, a.get_review_state_display() if a.review_state else "")
                for a in queryset.iterator(chunk_size=2000))
        return export_response(audit_model=queryset.model, customer_data=True, user=user, title=_("《大额资金异动及客户降级预警跟进表》"), headers=headers, rows=rows,
                               period=selectors.today().isoformat(), filters=filters_from(request.GET),
                               filename=_("预警跟进表.xlsx"))


class RuleListView(RoleRequiredMixin, ListView):
    """The rules in force; head office edits them (R6: thresholds configurable)."""

    template_name = "alerts/rule_list.html"
    allowed_roles = services.ALERT_VIEWERS

    def get_queryset(self):
        return AlertRule.objects.order_by("kind", "tier", "code")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = scope_for(self.request.user).has(*services.RULE_EDITORS)
        return ctx


class RuleEditView(RoleRequiredMixin, View):
    allowed_roles = services.RULE_EDITORS

    def get(self, request, pk):
        rule = get_object_or_404(AlertRule, pk=pk)
        return render(request, "alerts/rule_form.html", {"rule": rule, "form": RuleForm(instance=rule)})

    def post(self, request, pk):
        rule = get_object_or_404(AlertRule, pk=pk)
        form = RuleForm(request.POST, instance=AlertRule.objects.get(pk=pk))
        if form.is_valid():
            try:
                services.alert_rule_update(actor=request.user, rule=rule,
                                           **{k: form.cleaned_data[k] for k in form.Meta.fields})
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
        if not form.is_valid():
            return render(request, "alerts/rule_form.html", {"rule": rule, "form": form})
        messages.success(request, _("预警规则已保存，下次扫描起生效。"))
        return redirect("alerts:rules")


class MaturityListView(CustomerDataMixin, ListView):
    """到期提醒: holdings of my customers (heads: the center's) maturing within the configured window."""

    template_name = "alerts/maturity_list.html"
    paginate_by = 50
    allowed_roles = MATURITY_ROLES

    def get_queryset(self):
        scope = scope_for(self.request.user)
        mine = scope.has(Role.CLIENT_MANAGER) and not scope.has(Role.CENTER_HEAD, Role.TEAM_LEAD)
        return selectors.maturities(self.request.user, mine=mine)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["window"] = selectors.maturity_window()
        ctx["today"] = selectors.today()
        return ctx

