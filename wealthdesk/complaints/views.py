"""Complaint pages: the scoped list (htmx refresh, masked complainants, Excel 《投诉记录表》), recording, the detail
with its handling log and actions (log, extend, escalate, close), and the daily / monthly statistics (R30–R32)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.db_router import ReplicaReadMixin
from wealthdesk.core.exports import export_response, filters_from
from wealthdesk.core.params import get_param
from wealthdesk.core.reveal import RevealView
from wealthdesk.core.roles import Role
from wealthdesk.core.views import HtmxTemplateMixin, RoleRequiredMixin

from . import selectors, services, stats
from .choices import Category, Channel, Status
from .forms import AssignForm, CloseForm, ComplaintForm, EscalateForm, ExtendForm, LogForm

PAGE_ROLES = services.RECORDERS | {Role.AUDITOR}


class ComplaintPageMixin(RoleRequiredMixin):
    """Complaint pages: the recording roles (wrong role → 403) who accepted the confidentiality agreement (R28)."""

    allowed_roles = PAGE_ROLES

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_accepted_agreement():
            return redirect(f"/staff/agreement/?next={request.get_full_path()}")
        return super().dispatch(request, *args, **kwargs)


class ComplaintListView(ComplaintPageMixin, HtmxTemplateMixin, ListView):
    template_name = "complaints/complaint_list.html"
    partial_template_name = "complaints/_complaint_table.html"
    paginate_by = 25

    def get_queryset(self):
        p = self.request.GET
        return selectors.complaint_list(self.request.user, status=p.get("status", ""), channel=p.get("channel", ""),
                                        category=p.get("category", ""), overdue=p.get("overdue", ""),
                                        mine=p.get("mine", ""), q=p.get("q", ""), sort=p.get("sort", ""),
                                        escalated=p.get("escalated", ""))

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        """《投诉记录表》 with masked contacts, every complaint of the filtered list (core.exports, one audit row)."""
        user, queryset = self.request.user, self.get_queryset()
        headers = [_("编号"), _("受理日期"), _("受理机构"), _("渠道"), _("类别"), _("投诉人"), _("联系方式"), _("投诉内容"),
                   _("受理人"), _("责任人"), _("答复期限"), _("状态"), _("处理结论"), _("办结日期"), _("按期答复"),
                   _("客户满意度")]
        data = ([c.number, c.received_on, c.center.name, c.get_channel_display(), c.get_category_display(),
                 c.complainant_for(user), c.contact_masked, c.content, str(c.receiver), str(c.owner), c.due_on,
                 c.get_status_display(), c.get_outcome_display(), c.closed_on,
                 {True: _("是"), False: _("否"), None: ""}[c.answered_in_time], c.get_satisfaction_display()]
                for c in queryset.iterator(chunk_size=2000))
        return export_response(audit_model=queryset.model, customer_data=True, user=user, title=_("《投诉记录表》"), headers=headers, rows=data,
                               period=timezone.localdate().isoformat(), filters=filters_from(self.request.GET),
                               filename=_("投诉记录表.xlsx"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(channels=Channel.choices, categories=Category.choices, statuses=Status.choices,
                   today=timezone.localdate())
        return ctx


class ComplaintCreateView(ComplaintPageMixin, FormView):
    template_name = "complaints/complaint_form.html"
    form_class = ComplaintForm
    allowed_roles = services.RECORDERS

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            complaint = services.complaint_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("投诉已受理，编号 %(no)s，答复期限 %(due)s。")
                         % {"no": complaint.number, "due": complaint.due_on.isoformat()})
        return redirect("complaints:detail", pk=complaint.pk)


ACTION_FORMS = {"log": LogForm, "extend": ExtendForm, "escalate": EscalateForm, "close": CloseForm, "assign": AssignForm}


def _form(name, complaint, data=None):
    extra = {"complaint": complaint} if name == "assign" else {}
    return ACTION_FORMS[name](data, prefix=name, **extra)


def _detail_context(request, complaint, forms=None):
    can_handle = services.can_handle(request.user, complaint) and complaint.status == Status.OPEN
    forms = forms or {}
    return {"complaint": complaint, "logs": selectors.complaint_logs(request.user, complaint),
            "can_handle": can_handle, "complainant": complaint.complainant_for(request.user),
            "can_reveal": complaint.may_reveal_contact(request.user),
            "forms": {name: forms.get(name) or _form(name, complaint) for name in ACTION_FORMS},
            "max_days": get_param("complaint.max_extended_days")}


class ComplaintDetailView(ComplaintPageMixin, View):
    """The record, its handling log and the actions; viewing it is audited (personal data)."""

    def get(self, request, pk):
        complaint = selectors.complaint_detail(request.user, pk)
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=complaint)
        return render(request, "complaints/complaint_detail.html", _detail_context(request, complaint))


class ComplaintRevealView(ComplaintPageMixin, RevealView):
    """The complainant's contact in clear for the owner, the center head and the escalated manager (audited)."""

    fields = {"contact": "complainant_contact"}

    def get_object(self, request, pk):
        return selectors.complaint_detail(request.user, pk)

    def can_reveal(self, user, obj) -> bool:
        return obj.may_reveal_contact(user)


class ComplaintActionView(ComplaintPageMixin, View):
    """POST one action; bad input re-renders the detail with the message (400) and saves nothing."""

    action = ""

    def post(self, request, pk):
        complaint = selectors.complaint_detail(request.user, pk)
        if not services.can_handle(request.user, complaint):
            raise PermissionDenied(_("只有责任人、理财中心负责人或上级投诉管理人员可以处理此投诉。"))
        form = _form(self.action, complaint, request.POST)
        if form.is_valid():
            try:
                self.perform(complaint, form.cleaned_data)
            except ValidationError as exc:
                status = 409 if isinstance(exc, Conflict) else 400
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("已保存。"))
                return redirect("complaints:detail", pk=complaint.pk)
        else:
            status = 400
        complaint.refresh_from_db()
        ctx = _detail_context(request, complaint, {self.action: form})
        return render(request, "complaints/complaint_detail.html", ctx, status=status)

    def perform(self, complaint, data):
        user = self.request.user
        common = {"actor": user, "complaint": complaint, "version": self.request.POST.get("version")}
        if self.action == "log":
            services.complaint_add_log(**common, note=data["note"], kind=data["kind"])
        elif self.action == "extend":
            services.complaint_extend(**common, reason=data["reason"], days=data["days"])
        elif self.action == "escalate":
            services.complaint_escalate(**common, reason=data["reason"])
        elif self.action == "assign":
            services.complaint_assign(**common, owner=data["owner"])
        elif self.action == "close":
            services.complaint_close(**common, resolution=data["resolution"],
                                     outcome=data["outcome"], satisfaction=data["satisfaction"])


class StatsView(ReplicaReadMixin, RoleRequiredMixin, TemplateView):
    """《客户投诉日统计》 / 《客户投诉月统计》 with roll-up, drill-down, charts and Excel (R31)."""

    allowed_roles = stats.STATS_ROLES
    template_name = "complaints/stats.html"
    kind = "daily"

    def get(self, request, *args, **kwargs):
        param = "date" if self.kind == "daily" else "month"
        root = stats.root_for(request.user, request.GET.get("unit"))
        self.error = ""
        try:
            period = stats.parse_period(self.kind, request.GET.get(param, ""), timezone.localdate())
        except ValueError as exc:
            self.error = str(exc)
            period = stats.parse_period(self.kind, "", timezone.localdate())
        self.table = stats.build_table(root, period)
        if request.GET.get("format") == "xlsx" and not self.error:
            return stats.table_export(request, self.table)
        response = super().get(request, *args, **kwargs)
        if self.error:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ancestors = list(self.table.root.ancestors().filter(path__startswith=self.request.user.unit.path)) \
            if self.request.user.unit_id else []
        ctx.update(table=self.table, kind=self.kind, error=self.error, columns=stats.columns(),
                   charts=stats.chart_options(self.table), breadcrumbs=ancestors,
                   param="date" if self.kind == "daily" else "month")
        return ctx
