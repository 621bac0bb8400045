"""Monthly center reports: 《客户需求汇总表》 (R20, R24) and 《调研信息汇总报告》 (R21, R24).

The same views serve both: ``model`` says which. The head builds, comments and submits; the sub-branch and
branch read their centers' submitted reports; each exports to Excel in the handbook's layout.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from wealthdesk.core.exports import export_response, filters_from
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.submission import StaleVersion, SubmissionStatus
from wealthdesk.core.submission_views import chain_context, handle_chain_post
from wealthdesk.core.views import RoleRequiredMixin

from .. import exports, selectors, services
from ..forms import MonthForm, NeedsSummaryForm, SurveyReportForm
from ..models import NeedsSummary, SurveyReport
from .common import error_lines

REPORT_READERS = frozenset({Role.CENTER_HEAD, Role.BUSINESS_SUPERVISOR, Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE,
                            Role.HQ_SERVICE, Role.AUDITOR})
KINDS = {
    "needs": {"model": NeedsSummary, "form": NeedsSummaryForm, "title": gettext_lazy("客户需求汇总表"),
              "export": exports.needs_summary_rows},
    "surveys": {"model": SurveyReport, "form": SurveyReportForm, "title": gettext_lazy("调研信息汇总报告"),
                "export": exports.survey_report_rows},
}


class ReportMixin(RoleRequiredMixin):
    allowed_roles = REPORT_READERS
    kind = "needs"

    @property
    def spec(self):
        return KINDS[self.kind]

    def get_report(self, pk):
        model = self.spec["model"]
        return get_object_or_404(model.objects.visible_to(self.request.user).select_related("center", "submitted_by",
                                                                                            "receiver_unit"),
                                 pk=pk)


class ReportListView(ReportMixin, ListView):
    template_name = "voice/report_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = self.spec["model"].objects.visible_to(self.request.user).select_related("center", "submitted_by")
        month = self.request.GET.get("month", "")
        if month:
            qs = qs.filter(month=selectors.parse_month(month))
        return qs.order_by("-month", "center__path")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = scope_for(self.request.user)
        ctx.update(kind=self.kind, title=self.spec["title"], month_form=MonthForm(),
                   can_build=scope.has(*services.REPORT_AUTHORS))
        return ctx


class ReportBuildView(ReportMixin, View):
    allowed_roles = services.REPORT_AUTHORS

    def post(self, request):
        form = MonthForm(request.POST)
        month = selectors.parse_month(request.POST.get("month"), default=None) if form.is_valid() else None
        if month is None or request.POST.get("month", "")[:7] != f"{month:%Y-%m}":
            messages.error(request, _("月份：请按 YYYY-MM 填写。"))
            return redirect(f"voice:{self.kind}-reports")
        try:
            report = services.report_build(actor=request.user, model=self.spec["model"], center=request.user.unit,
                                           month=month)
        except ValidationError as exc:
            for line in error_lines(exc, form):
                messages.error(request, line)
            return redirect(f"voice:{self.kind}-reports")
        return redirect(f"voice:{self.kind}-report", pk=report.pk)


class ReportDetailView(ReportMixin, View):
    def render(self, report, form=None, errors=(), status=200, chain_errors=(), comment=""):
        scope = scope_for(self.request.user)
        editable = report.status == SubmissionStatus.DRAFT and scope.has(*services.REPORT_AUTHORS) \
            and scope.unit_id == report.center_id
        form = form or self.spec["form"](initial={f: getattr(report, f) for f in self.spec["form"].base_fields})
        charts = []
        if self.kind == "surveys":
            for survey in report.figures.get("surveys", []):
                for q in survey["questions"]:
                    charts.append({"survey": survey, "q": q, "option": selectors.chart_option(q),
                                   "chart_id": f"chart-{survey['id']}-{q['id']}"})
        ctx = {"report": report, "kind": self.kind, "title": self.spec["title"], "form": form, "editable": editable,
               "errors": errors, "charts": charts, "version": report.version}
        sub = chain_context(self.request.user, report, errors=chain_errors, comment=comment)
        sub["actions"] = [a for a in sub["actions"] if a != "submit"]  # the head submits with the form above
        ctx["sub"] = sub
        if self.kind == "needs":
            ctx["opinion_products"] = exports.opinion_product_rows(report.figures)
            ctx["opinion_positions"] = exports.opinion_position_rows(report.figures)
        if self.kind == "needs":
            ctx["category_rows"] = exports.category_rows(report.figures)
            ctx["route_rows"] = exports.route_rows(report.figures)
        return render(self.request, "voice/report_detail.html", ctx, status=status)

    def get(self, request, pk):
        return self.render(self.get_report(pk))

    def post(self, request, pk):
        report = self.get_report(pk)
        if request.POST.get("action") in ("receive", "return", "share"):
            chain_errors = handle_chain_post(request, report)
            if chain_errors:
                report.refresh_from_db()
                return self.render(report, chain_errors=chain_errors, status=400, comment=request.POST.get("comment", ""))
            messages.success(request, _("已处理。"))
            return redirect(f"voice:{self.kind}-report", pk=report.pk)
        form = self.spec["form"](request.POST)
        if not form.is_valid():
            return self.render(report, form=form, status=400)
        version = request.POST.get("version", "")
        version = int(version) if version.isdigit() else None
        try:
            services.report_update(actor=request.user, report=report, version=version, **form.cleaned_data)
            if request.POST.get("action") == "submit":
                services.report_submit(actor=request.user, report=report)
                messages.success(request, _("已上报。"))
            elif request.POST.get("action") == "rebuild":
                services.report_build(actor=request.user, model=type(report), center=report.center,
                                      month=report.month)
            else:
                messages.success(request, _("已保存。"))
        except StaleVersion as exc:
            report.refresh_from_db()
            return self.render(report, form=form, errors=[str(exc)], status=409)
        except ValidationError as exc:
            report.refresh_from_db()
            return self.render(report, form=form, errors=error_lines(exc, form), status=400)
        return redirect(f"voice:{self.kind}-report", pk=report.pk)


class ReportExportView(ReportMixin, View):
    """The report as .xlsx in the handbook's layout; the export is audited."""

    def get(self, request, pk):
        report = self.get_report(pk)
        headers, rows = self.spec["export"](report)
        title = f"《{self.spec['title']}》"
        return export_response(user=request.user, title=title, unit=report.center.name, period=report.month_label,
                               headers=headers, rows=rows, footer=exports.footer(report), audit_obj=report,
                               audit_unit_id=report.center_id, filters=filters_from(request.GET),
                               filename=f"{self.spec['title']}-{report.center.code}-{report.month_label}.xlsx")
