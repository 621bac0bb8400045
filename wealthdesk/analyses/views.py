"""Pages of the semiannual analyses (R36): the overview of the six for a unit and half-year, each analysis with
its charts, tables and the head's narrative, and its Excel export."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from wealthdesk.core.access_audit import audit_list_view
from wealthdesk.core.exports import export_response
from wealthdesk.core.views import RoleRequiredMixin
from wealthdesk.customers.models import Customer

from . import selectors, services
from .choices import AnalysisKind
from .forms import NarrativeForm
from .periods import PeriodError, data_start, half_of, parse_half, recent_halves


class AnalysesMixin(RoleRequiredMixin):
    allowed_roles = selectors.READER_ROLES

    def setup_unit_and_period(self, request):
        """The unit (404 outside the subtree) and the half-year (a clear message when it cannot be analysed)."""
        self.unit = selectors.unit_for(request.user, request.GET.get("unit"))
        today = timezone.localdate()
        self.first_day = data_start()
        self.period_error = ""
        try:
            self.period = parse_half(request.GET.get("period"), today=today, first_day=self.first_day)
        except PeriodError as exc:
            self.period_error = _("分析期间：%(e)s") % {"e": exc}
            self.period = None
        self.halves = recent_halves(today, self.first_day) or [half_of(today)]

    def base_context(self) -> dict:
        return {"unit": self.unit, "period": self.period, "period_error": self.period_error,
                "halves": self.halves, "kinds": AnalysisKind.choices, "first_day": self.first_day,
                "children": selectors.child_units(self.unit),
                "breadcrumbs": selectors.breadcrumbs(self.request.user, self.unit),
                "period_value": self.period.label if self.period else self.request.GET.get("period", "")}


class IndexView(AnalysesMixin, View):
    """The six analyses of a unit and half-year, with whether the narrative of each is written."""

    def get(self, request):
        self.setup_unit_and_period(request)
        ctx = self.base_context()
        if self.period is not None:
            notes = selectors.narratives(request.user, self.unit, self.period)
            ctx["cards"] = [(key, label, notes.get(key)) for key, label in AnalysisKind.choices]
            ctx["reports"] = selectors.staff_reports(request.user, self.unit, self.period)
        return render(request, "analyses/index.html", ctx, status=400 if self.period_error else 200)


def _kind(kind: str) -> str:
    if kind not in AnalysisKind.values:
        raise Http404
    return kind


class AnalysisView(AnalysesMixin, View):
    """One analysis: headline figures, charts, tables and the narrative (written by the unit's head)."""

    def render_page(self, request, kind, *, form=None, errors=(), status=200):
        ctx = self.base_context()
        ctx.update(kind=kind, kind_label=AnalysisKind(kind).label, form=form, errors=errors)
        if self.period is not None:
            page = request.GET.get("page", "1")
            snap = services.snapshot_read(request.user, kind, self.unit, self.period)
            result = selectors.stored_result(request.user, snap, self.unit, self.period,
                                             page=int(page) if page.isdigit() and len(page) < 7 else 1)
            narrative = selectors.narrative(request.user, kind, self.unit, self.period)
            can_write = selectors.can_write(request.user, self.unit)
            if form is None and can_write:
                form = NarrativeForm(initial={"body": narrative.body if narrative else "",
                                              "version": narrative.version if narrative else None})
            running = self.period.is_running(timezone.localdate())
            ctx.update(result=result, narrative=narrative, can_write=can_write, form=form, snapshot=snap,
                       charts={f"chart-{k}": v for k, v in result.charts.items()} if result else {},
                       running=running, can_recompute=can_write or running,
                       job=snap.job if snap.computing else None)
            audit_list_view(request, what=f"analyses.{kind}", count=result.figure("customers") if result else 0)
        return render(request, "analyses/analysis.html", ctx, status=400 if self.period_error else status)

    def get(self, request, kind):
        kind = _kind(kind)
        self.setup_unit_and_period(request)
        return self.render_page(request, kind)

    def post(self, request, kind):
        kind = _kind(kind)
        self.setup_unit_and_period(request)
        if self.period is None:
            return self.render_page(request, kind)
        if not selectors.can_write(request.user, self.unit):
            raise PermissionDenied(_("只有本机构负责人可以撰写分析意见。"))
        form = NarrativeForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, kind, form=form, status=400)
        try:
            services.narrative_save(actor=request.user, kind=kind, unit=self.unit, period=self.period,
                                    body=form.cleaned_data["body"], version=form.cleaned_data["version"])
        except ValidationError as exc:
            status = 409 if "version" in exc.message_dict else 400
            labels = {"body": str(form.fields["body"].label), "version": _("版本号")}
            errors = [f"{labels.get(f, '')}：{e}" for f, errs in exc.message_dict.items() for e in errs]
            return self.render_page(request, kind, form=form, errors=errors, status=status)
        messages.success(request, _("分析意见已保存。"))
        return redirect(f"{reverse('analyses:detail', args=[kind])}?unit={self.unit.pk}&period={self.period.label}")


class ExportView(AnalysesMixin, View):
    """The analysis as .xlsx through the one export mechanism (watermark, audit row, inert text)."""

    def get(self, request, kind):
        kind = _kind(kind)
        self.setup_unit_and_period(request)
        if self.period is None:
            return render(request, "analyses/analysis.html",
                          {**self.base_context(), "kind": kind, "kind_label": AnalysisKind(kind).label}, status=400)
        label = AnalysisKind(kind).label
        narrative = selectors.narrative(request.user, kind, self.unit, self.period)
        snap = services.snapshot_read(request.user, kind, self.unit, self.period)
        result = selectors.stored_result(request.user, snap, self.unit, self.period)
        if result is None:  # still being computed by a worker: the page shows its progress
            messages.info(request, _("该分析正在计算中，完成后即可导出。"))
            return redirect(f"{reverse('analyses:detail', args=[kind])}?unit={self.unit.pk}&period={self.period.label}")
        return export_response(
            user=request.user, title=f"《{label}》", unit=self.unit.name, period=self.period.label,
            headers=[_("指标 / 表格"), _("数值"), *[""] * 10],
            rows=selectors.export_rows(request.user, kind, self.unit, self.period, result),
            footer=_("分析意见：%(b)s") % {"b": narrative.body} if narrative else "",
            filters={"kind": kind, "unit": self.unit.pk, "period": self.period.label},
            audit_unit_id=self.unit.pk, audit_model=Customer,
            audit_detail={"kind": kind, "period": self.period.label},
            filename=f"{label}-{self.unit.code}-{self.period.label}.xlsx")


class RecomputeView(AnalysesMixin, View):
    """POST: ask for the analysis to be computed again (the unit's head; any reader for the open half-year).
    Refused with a clear message while a computation is under way."""

    def post(self, request, kind):
        kind = _kind(kind)
        self.setup_unit_and_period(request)
        if self.period is None:
            return render(request, "analyses/analysis.html",
                          {**self.base_context(), "kind": kind, "kind_label": AnalysisKind(kind).label}, status=400)
        running = self.period.is_running(timezone.localdate())
        if not (running or selectors.can_write(request.user, self.unit)):
            raise PermissionDenied(_("只有本机构负责人可以要求重新计算。"))
        url = f"{reverse('analyses:detail', args=[kind])}?unit={self.unit.pk}&period={self.period.label}"
        try:
            snap = services.snapshot_request(actor=request.user, kind=kind, unit=self.unit, period=self.period,
                                             recompute=True)
        except ValidationError as exc:
            messages.error(request, _("重新计算：%(e)s") % {"e": "；".join(exc.messages)})
            return redirect(url)
        if snap.computing:
            messages.info(request, _("已开始重新计算，可离开本页稍后再来查看。"))
        else:
            messages.success(request, _("已重新计算。"))
        return redirect(url)
