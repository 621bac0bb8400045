"""Pages of the reports app: my/our reports, a new report pre-filled with the period's figures, a report's page
(edit while a draft, the chain's actions, the R19 topic decision), its Excel export, the library of shared reports."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.exports import export_response
from wealthdesk.core.pdf import pdf_response
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.submission import LIBRARY_ROLES, StaleVersion, SubmissionStatus, can_edit, period_label
from wealthdesk.core.submission_views import chain_context, handle_chain_post
from wealthdesk.core.views import RoleRequiredMixin
from wealthdesk.customers.choices import Tier

from . import exports, selectors, services
from .choices import ReportKindChoice, TopicStatus
from .forms import ReportCreateForm, ReportEditForm, SuggestionForm, TopicDecisionForm
from .kinds import ALL_WRITERS, SPECS
from .models import Report

READERS = ALL_WRITERS | LIBRARY_ROLES
CHAIN_ACTIONS = ("submit", "receive", "return", "share")


def error_lines(exc: ValidationError, form=None) -> list[str]:
    lines = []
    for field, errors in exc.message_dict.items():
        label = str(form.fields[field].label) if form is not None and field in form.fields else ""
        lines += [f"{label}：{e}" if label else e for e in errors]
    return lines


class ReportsMixin(RoleRequiredMixin):
    allowed_roles = READERS

    def get_report(self, pk) -> Report:
        return get_object_or_404(Report.objects.visible_to(self.request.user)
                                 .select_related("unit", "author", "receiver_unit", "submitted_by", "received_by"),
                                 pk=pk)


class ReportListView(ReportsMixin, ListView):
    template_name = "reports/report_list.html"
    paginate_by = 30

    def get_queryset(self):
        p = self.request.GET
        return selectors.report_list(self.request.user, kind=p.get("kind", ""), status=p.get("status", ""),
                                     period=p.get("period", ""), mine=p.get("mine", ""))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(kinds=ReportKindChoice.choices, statuses=SubmissionStatus.choices,
                   creatable=[(k, k.label) for k in SPECS if services.can_create(user, k)],
                   incoming=list(selectors.incoming(user)[:20]))
        return ctx


class ReportCreateView(ReportsMixin, View):
    allowed_roles = ALL_WRITERS

    def _kind(self, request):
        kind = request.GET.get("kind") or request.POST.get("kind") or ""
        if kind not in SPECS:
            raise PermissionDenied(_("没有这种报告。"))
        if not services.can_create(request.user, kind):
            raise PermissionDenied(_("您的岗位不能编写这种报告。"))
        return kind

    def render(self, request, kind, form, errors=(), status=200):
        return render(request, "reports/report_create.html",
                      {"kind": kind, "kind_label": ReportKindChoice(kind).label, "form": form, "errors": errors,
                       "spec": SPECS[kind]}, status=status)

    def get(self, request):
        kind = self._kind(request)
        return self.render(request, kind, ReportCreateForm(kind=kind, user=request.user))

    def post(self, request):
        kind = self._kind(request)
        form = ReportCreateForm(request.POST, kind=kind, user=request.user)
        if not form.is_valid():
            return self.render(request, kind, form, status=400)
        data = form.cleaned_data
        try:
            report = services.report_create(actor=request.user, kind=kind, period=data["period"],
                                            title=data.get("title", ""), tier=data.get("tier", ""),
                                            product=data.get("product", ""), suggestion=data.get("suggestion"))
        except ValidationError as exc:
            return self.render(request, kind, form, errors=error_lines(exc, form), status=400)
        messages.success(request, _("报告草稿已生成，系统数据已预填。"))
        return redirect("reports:detail", pk=report.pk)


class ReportDetailView(ReportsMixin, View):
    def render(self, report, *, form=None, errors=(), chain_errors=(), status=200, comment=""):
        user = self.request.user
        spec = SPECS[report.kind]
        editable = can_edit(user, report)
        if form is None and editable:
            initial = {"version": report.version, **report.body, "title": report.title, "tier": report.tier,
                       "product": report.product}
            form = ReportEditForm(initial=initial, kind=report.kind)
        masked = selectors.needs_masking(user, report)
        content = selectors.masked_content(report, frozen=report.status != SubmissionStatus.DRAFT) if masked else \
            (report.snapshot if report.status != SubmissionStatus.DRAFT and report.snapshot
             else report.submission_content())
        scope = scope_for(user)
        can_decide = spec.has_topic and scope.has(Role.CENTER_HEAD) and scope.unit_id == report.unit_id \
            and report.topic_status in (TopicStatus.PROPOSED, TopicStatus.REJECTED) \
            and report.status == SubmissionStatus.DRAFT
        sections = [(key, label, (content.get("body") or {}).get(key, "")) for key, label in spec.sections]
        ctx = {"report": report, "spec": spec, "form": form, "editable": editable, "errors": errors,
               "content": content, "sections": sections, "masked": masked,
               "sub": chain_context(user, report, errors=chain_errors, comment=comment),
               "can_decide": can_decide, "decision_form": TopicDecisionForm(initial={"material": report.material}),
               "can_repropose": spec.has_topic and report.author_id == user.pk
               and report.topic_status == TopicStatus.REJECTED}
        if masked:
            audit_record(actor=user, action=AuditAction.VIEW, obj=report, unit_id=report.unit_id,
                         detail={"masked": True})
        return render(self.request, "reports/report_detail.html", ctx, status=status)

    def get(self, request, pk):
        return self.render(self.get_report(pk))

    def post(self, request, pk):
        report = self.get_report(pk)
        action = request.POST.get("action", "")
        if action in CHAIN_ACTIONS:
            errors = handle_chain_post(request, report)
            if errors:
                report.refresh_from_db()
                return self.render(report, chain_errors=errors, status=409 if _stale(errors) else 400,
                                   comment=request.POST.get("comment", ""))
            messages.success(request, {"submit": _("已报送。"), "receive": _("已接收。"), "return": _("已退回修改。"),
                                       "share": _("已共享给其他理财中心。")}[action])
            return redirect("reports:detail", pk=report.pk)
        if action in ("topic_approve", "topic_reject"):
            return self.decide(report, approve=action == "topic_approve")
        if action == "topic_repropose":
            try:
                services.topic_repropose(actor=request.user, report=report, title=request.POST.get("title", ""))
            except ValidationError as exc:
                return self.render(report, errors=error_lines(exc), status=400)
            return redirect("reports:detail", pk=report.pk)
        return self.save(report, refresh=action == "refresh")

    def save(self, report, *, refresh):
        if not can_edit(self.request.user, report):
            if report.status != SubmissionStatus.DRAFT:
                return self.render(report, errors=[_("报告已报送，不能再修改；如需修改请由接收机构退回。")], status=400)
            raise PermissionDenied(_("您不能修改这份报告。"))
        form = ReportEditForm(self.request.POST, kind=report.kind)
        if not form.is_valid():
            return self.render(report, form=form, status=400)
        data = form.cleaned_data
        spec = SPECS[report.kind]
        try:
            services.report_update(actor=self.request.user, report=report, version=data["version"],
                                   body={k: data.get(k, "") for k in form.sections},
                                   title=data.get("title") if spec.has_topic else None,
                                   tier=data.get("tier") if spec.has_topic else None,
                                   product=data.get("product") if spec.has_topic else None, refresh_figures=refresh)
        except StaleVersion as exc:
            report.refresh_from_db()
            return self.render(report, form=form, errors=[str(exc)], status=409)
        except ValidationError as exc:
            report.refresh_from_db()
            return self.render(report, form=form, errors=error_lines(exc, form), status=400)
        messages.success(self.request, _("已保存。"))
        return redirect("reports:detail", pk=report.pk)

    def decide(self, report, *, approve):
        form = TopicDecisionForm(self.request.POST)
        if not form.is_valid():
            return self.render(report, errors=[_("输入有误。")], status=400)
        try:
            services.topic_decide(actor=self.request.user, report=report, approve=approve,
                                  note=form.cleaned_data["topic_note"], material=form.cleaned_data["material"])
        except ValidationError as exc:
            return self.render(report, errors=error_lines(exc, form), status=400)
        messages.success(self.request, _("选题已批准。") if approve else _("已退回选题意见。"))
        return redirect("reports:detail", pk=report.pk)


def _stale(errors) -> bool:
    return any(str(StaleVersion()) == e for e in errors)


class ReportExportView(ReportsMixin, View):
    """The report as .xlsx in the handbook's layout (masked outside the author's center); audited."""

    def get(self, request, pk):
        report = self.get_report(pk)
        masked = selectors.needs_masking(request.user, report)
        headers, rows = exports.report_rows(report, masked=masked)
        who = f" {report.author}" if report.author_id else ""
        return export_response(user=request.user, title=f"《{report.get_kind_display()}》",
                               unit=f"{report.unit.name}{who}", period=report.period_label, headers=headers,
                               rows=rows, footer=exports.footer(report), audit_obj=report,
                               audit_unit_id=report.unit_id, audit_detail={"masked": masked},
                               filename=f"{report.get_kind_display()}-{report.unit.code}-{report.period_label}.xlsx")


class ReportPdfView(ReportsMixin, View):
    """The report as a PDF rendered on the server with Chinese fonts (``core.pdf``: watermark, audit); the same
    masked copy as the page outside the author's center."""

    def get(self, request, pk):
        report = self.get_report(pk)
        content = selectors.report_content(request.user, report)
        spec = SPECS[report.kind]
        sections = [(key, label, (content.get("body") or {}).get(key, "")) for key, label in spec.sections]
        return pdf_response(request=request, template="reports/report_print.html",
                            context={"report": report, "content": content, "sections": sections},
                            title=f"《{report.get_kind_display()}》", unit=report.unit.name, audit_obj=report,
                            filename=f"{report.get_kind_display()}-{report.unit.code}-{report.period_label}.pdf")


class LibraryView(RoleRequiredMixin, ListView):
    """共享报告库: shared reports of every center, searchable by topic, tier, product, period."""

    allowed_roles = LIBRARY_ROLES
    template_name = "reports/library.html"
    paginate_by = 30

    def get_queryset(self):
        p = self.request.GET
        self.period_error = ""
        if p.get("period"):
            try:
                from wealthdesk.core.submission import parse_period

                parse_period("half", p["period"])
            except ValueError as exc:
                self.period_error = str(exc)
        return selectors.library(self.request.user, q=p.get("q", ""), tier=p.get("tier", ""),
                                 product=p.get("product", ""), period=p.get("period", ""), kind=p.get("kind", ""))

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.period_error:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(tiers=Tier.choices, period_error=self.period_error, period_label=period_label)
        return ctx


class SuggestionCreateView(RoleRequiredMixin, View):
    """The head suggests a semiannual topic with material (R19)."""

    allowed_roles = frozenset({Role.CENTER_HEAD})

    def post(self, request):
        form = SuggestionForm(request.POST)
        if form.is_valid():
            try:
                services.suggestion_create(actor=request.user, period=form.cleaned_data["period"],
                                           title=form.cleaned_data["title"], material=form.cleaned_data["material"])
            except ValidationError as exc:
                for line in error_lines(exc, form):
                    messages.error(request, line)
            else:
                messages.success(request, _("建议选题已发布给本中心客户经理。"))
                return redirect("reports:list")
        else:
            for field, errs in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for e in errs:
                    messages.error(request, f"{label}：{e}")
        return redirect("reports:list")
