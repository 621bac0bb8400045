"""Pages of targets (R33) and the monthly performance sheet (R34)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.registry import share_percent
from wealthdesk.core.roles import Reach, Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.submission_views import chain_context, handle_chain_post
from wealthdesk.core.views import RoleRequiredMixin

from . import exports, selectors, services
from .choices import DEDUCTIONS, PeriodKind
from .forms import AdjustmentForm, IndicatorForm, kind_param, parse_period, period_param
from .models import Indicator, period_label
from .nav import SHEET_READERS, TARGET_READERS
from .progress import progress_for

CHAIN_ACTIONS = ("submit", "receive", "return", "share")


def error_lines(exc: ValidationError) -> list[str]:
    return [e for errors in exc.message_dict.values() for e in errors]


class TargetsMixin(RoleRequiredMixin):
    allowed_roles = frozenset(TARGET_READERS)


class TargetListView(TargetsMixin, ListView):
    """目标与进度: the targets the user may see with live progress (actual, expected, gap, forecast)."""

    template_name = "targets/target_list.html"
    paginate_by = 30

    def get_queryset(self):
        self.kind = kind_param(self.request)
        start = period_param(self.request, kind=self.kind or PeriodKind.MONTH) if self.kind else None
        if self.request.GET.get("period") and not self.kind:
            start = period_param(self.request)
            self.kind = PeriodKind.MONTH
        level = self.request.GET.get("level", "")
        return selectors.target_list(self.request.user, period_kind=self.kind, period_start=start,
                                     indicator=self.request.GET.get("indicator", "")[:40],
                                     level=level if level in ("unit", "staff") else "")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = list(ctx["object_list"])
        progress = progress_for(page)
        user = self.request.user
        ctx.update(rows=[(t, progress[t.pk]) for t in page], kinds=PeriodKind.choices,
                   indicators=Indicator.objects.filter(is_active=True),
                   can_plan=user.unit_id is not None and services.can_plan(user, user.unit))
        return ctx


class TargetDetailView(TargetsMixin, View):
    def render(self, target, *, errors=(), values=None, reason="", status=200):
        user = self.request.user
        parts = selectors.parts_with_progress(user, target)
        can_split = services.can_split(user, target)
        candidates = services.split_candidates(target) if can_split else []
        current = {(p.staff_id or p.unit_id): p.amount for p, _pr in parts}
        inputs = [(c, (values or {}).get(str(c.pk), current.get(c.pk, ""))) for c in candidates]
        total = sum((p.amount for p, _pr in parts), 0)
        ctx = {"target": target, "progress": progress_for([target])[target.pk], "parts": parts,
               "revisions": target.revisions.select_related("actor")[:50], "can_split": can_split,
               "inputs": inputs, "errors": errors, "reason": reason, "parts_total": total,
               # a rate is not divided (each part has its own), so its parts never "add up"
               "parts_diff": (total - target.amount) if parts and target.indicator.unit != "percent" else 0}
        return render(self.request, "targets/target_detail.html", ctx, status=status)

    def get(self, request, pk):
        return self.render(selectors.get_target(request.user, pk))

    def post(self, request, pk):
        target = selectors.get_target(request.user, pk)
        if not services.can_split(request.user, target):
            raise PermissionDenied(_("只能分解本机构的目标。"))
        parts = {key[5:]: value for key, value in request.POST.items() if key.startswith("part_") and value.strip()}
        reason = request.POST.get("reason", "")
        try:
            services.target_split(actor=request.user, target=target, parts=parts, reason=reason,
                                  version=request.POST.get("version") or None)
        except Conflict as exc:
            target.refresh_from_db()
            return self.render(target, errors=error_lines(exc), values=parts, reason=reason, status=409)
        except ValidationError as exc:
            target.refresh_from_db()
            return self.render(target, errors=error_lines(exc), values=parts, reason=reason, status=400)
        messages.success(request, _("目标已分解。"))
        return redirect("targets:detail", pk=target.pk)


class PlanView(RoleRequiredMixin, View):
    """制定目标: a unit's own targets for a period, each indicator's amount and weight (weights add up to 100)."""

    allowed_roles = services.PLANNERS

    def _period(self, data):
        kind = data.get("kind") or PeriodKind.MONTH
        if kind not in PeriodKind.values:
            raise ValidationError({"kind": [_("期间类型不正确。")]})
        text = data.get("period") or period_label(kind, timezone.localdate())
        try:
            return kind, parse_period(kind, text), text
        except ValueError as exc:
            raise ValidationError({"period": [str(exc)]}) from None

    def render(self, request, *, kind, start, text, errors=(), values=None, reason="", status=200):
        from .models import Target

        unit = request.user.unit
        existing = {t.indicator_id: t for t in Target.objects.visible_to(request.user).filter(
            unit=unit, staff__isnull=True, period_kind=kind, period_start=start)} if start else {}
        rows = []
        for ind in Indicator.objects.filter(is_active=True):
            old = existing.get(ind.pk)
            amount = (values or {}).get(f"amount_{ind.code}", old.amount if old else "")
            weight = (values or {}).get(f"weight_{ind.code}", old.weight if old else ind.default_weight)
            rows.append((ind, amount, weight, old))
        return render(request, "targets/plan.html",
                      {"unit": unit, "kind": kind, "period": text, "kinds": PeriodKind.choices, "rows": rows,
                       "errors": errors, "reason": reason}, status=status)

    def get(self, request):
        if request.user.unit_id is None or not services.can_plan(request.user, request.user.unit):
            raise PermissionDenied(_("只能为本机构制定目标。"))
        try:
            kind, start, text = self._period(request.GET)
        except ValidationError as exc:
            return self.render(request, kind=PeriodKind.MONTH, start=None, text=request.GET.get("period", ""),
                               errors=error_lines(exc), status=400)
        return self.render(request, kind=kind, start=start, text=text)

    def post(self, request):
        if request.user.unit_id is None or not services.can_plan(request.user, request.user.unit):
            raise PermissionDenied(_("只能为本机构制定目标。"))
        values = {k: v for k, v in request.POST.items() if k.startswith(("amount_", "weight_"))}
        reason = request.POST.get("reason", "")
        try:
            kind, start, text = self._period(request.POST)
        except ValidationError as exc:
            return self.render(request, kind=PeriodKind.MONTH, start=None, text=request.POST.get("period", ""),
                               errors=error_lines(exc), values=values, reason=reason, status=400)
        rows = [{"indicator": ind, "amount": values.get(f"amount_{ind.code}", "").strip(),
                 "weight": values.get(f"weight_{ind.code}", "").strip()}
                for ind in Indicator.objects.filter(is_active=True)]
        rows = [r for r in rows if r["amount"] != ""]
        try:
            services.target_plan_set(actor=request.user, unit=request.user.unit, period_kind=kind, period_start=start,
                                     rows=rows, reason=reason)
        except ValidationError as exc:
            return self.render(request, kind=kind, start=start, text=text, errors=error_lines(exc), values=values,
                               reason=reason, status=400)
        messages.success(request, _("目标已保存。"))
        return redirect(f"{request.path}?kind={kind}&period={text}")


class IndicatorListView(RoleRequiredMixin, ListView):
    allowed_roles = frozenset({Role.HQ_SERVICE, Role.BRANCH_SERVICE, Role.SUBBRANCH_SERVICE, Role.CENTER_HEAD})
    template_name = "targets/indicator_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Indicator.objects.all()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = scope_for(self.request.user).has(*services.INDICATOR_EDITORS)
        return ctx


class IndicatorEditView(RoleRequiredMixin, View):
    allowed_roles = services.INDICATOR_EDITORS

    def get(self, request, pk=None):
        indicator = get_object_or_404(Indicator, pk=pk) if pk else None
        return render(request, "targets/indicator_form.html", {"form": IndicatorForm(instance=indicator),
                                                                "indicator": indicator})

    def post(self, request, pk=None):
        indicator = get_object_or_404(Indicator, pk=pk) if pk else None
        form = IndicatorForm(request.POST, instance=indicator)
        if form.is_valid():
            try:
                services.indicator_save(actor=request.user, indicator=indicator, data=form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for e in errors:
                        form.add_error(field if field in form.fields else None, e)
            else:
                messages.success(request, _("考核指标已保存。"))
                return redirect("targets:indicators")
        return render(request, "targets/indicator_form.html", {"form": form, "indicator": indicator}, status=400)


# --- performance sheets ---------------------------------------------------------------------------------------------

class SheetsMixin(RoleRequiredMixin):
    allowed_roles = frozenset(SHEET_READERS)


class SheetListView(SheetsMixin, ListView):
    template_name = "targets/sheet_list.html"
    paginate_by = 30

    def get_queryset(self):
        status = self.request.GET.get("status", "")
        return selectors.sheet_list(self.request.user, month=period_param(self.request, name="month"),
                                    status=status if status in ("open", "closed") else "")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = scope_for(self.request.user)
        ctx["can_open"] = scope.has(*services.SHEET_MANAGERS)
        ctx["whole"] = scope.reach >= Reach.SUBTREE
        if ctx["whole"]:
            averages = selectors.sheet_averages(ctx["object_list"])
            for sheet in ctx["object_list"]:
                sheet.wd_average = averages.get(sheet.pk)
        ctx["this_month"] = f"{timezone.localdate():%Y-%m}"
        return ctx

    def post(self, request):
        if not scope_for(request.user).has(*services.SHEET_MANAGERS):
            raise PermissionDenied(_("只有本中心负责人可以生成绩效汇总表。"))
        try:
            month = parse_period(PeriodKind.MONTH, request.POST.get("month", ""))
        except ValueError as exc:
            messages.error(request, _("月份：%(e)s") % {"e": exc})
            return redirect("targets:sheets")
        sheet = services.sheet_open(actor=request.user, unit=request.user.unit, month=month)
        return redirect("targets:sheet", pk=sheet.pk)


class SheetDetailView(SheetsMixin, View):
    def render(self, sheet, *, errors=(), chain_errors=(), form=None, status=200):
        user = self.request.user
        lines = selectors.sheet_scores(user, sheet)
        whole = selectors.sees_whole_sheet(user, sheet)
        manage = services.can_manage_sheet(user, sheet)
        ctx = {"sheet": sheet, "lines": lines, "whole": whole, "center": selectors.center_line(sheet, lines) if whole
               else None, "can_manage": manage and not sheet.is_closed, "errors": errors,
               "adjustments": sheet.adjustments.select_related("staff") if whole else
               sheet.adjustments.filter(staff=user), "form": form or AdjustmentForm(initial={"version": sheet.version}),
               "sub": chain_context(user, sheet, errors=chain_errors), "can_close": manage and not sheet.is_closed
               and sheet.period_end < timezone.localdate(), "indicator_codes": _codes(lines)}
        audit_record(actor=user, action=AuditAction.VIEW, obj=sheet, unit_id=sheet.unit_id,
                     detail={"lines": len(lines)})
        return render(self.request, "targets/sheet_detail.html", ctx, status=status)

    def get(self, request, pk):
        return self.render(selectors.get_sheet(request.user, pk))

    def post(self, request, pk):
        sheet = selectors.get_sheet(request.user, pk)
        action = request.POST.get("action", "")
        if action in CHAIN_ACTIONS:
            errors = handle_chain_post(request, sheet)
            if errors:
                sheet.refresh_from_db()
                return self.render(sheet, chain_errors=errors, status=400)
            messages.success(request, _("已处理。"))
            return redirect("targets:sheet", pk=sheet.pk)
        if not services.can_manage_sheet(request.user, sheet):
            raise PermissionDenied(_("只有本中心负责人可以修改绩效汇总表。"))
        version = request.POST.get("version") or None
        form = None
        try:
            if action == "adjust":
                form = AdjustmentForm(request.POST)
                services.sheet_adjust(actor=request.user, sheet=sheet, staff_id=request.POST.get("staff"),
                                      points=request.POST.get("points", ""), reason=request.POST.get("reason", ""),
                                      version=version)
                done = _("调整已记录。")
            elif action == "comment":
                services.sheet_comment(actor=request.user, sheet=sheet, comment=request.POST.get("comment", ""),
                                       version=version)
                done = _("评语已保存。")
            elif action == "close":
                services.sheet_close(actor=request.user, sheet=sheet, version=version)
                done = _("本月已月结，绩效汇总表已冻结。")
            else:
                raise ValidationError({"action": [_("未知操作。")]})
        except ValidationError as exc:
            sheet.refresh_from_db()
            return self.render(sheet, errors=error_lines(exc), form=form,
                               status=409 if isinstance(exc, Conflict) else 400)
        messages.success(request, done)
        return redirect("targets:sheet", pk=sheet.pk)


def _codes(lines):
    seen = {}
    for line in lines:
        for item in line["lines"]:
            seen.setdefault(item["code"], item["name"])
    return list(seen.items())


class StaffSheetView(SheetsMixin, View):
    """One staff member's score on the sheet, each figure opening its records."""

    def get(self, request, pk, user_id):
        sheet = selectors.get_sheet(request.user, pk)
        line = selectors.staff_line(request.user, sheet, user_id)
        if line is None:
            raise Http404
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=sheet, unit_id=sheet.unit_id,
                     detail={"staff": user_id})
        return render(request, "targets/staff_sheet.html", {"sheet": sheet, "line": line,
                                                            "deduction_keys": list(DEDUCTIONS)})


class RecordsView(SheetsMixin, View):
    """The records one figure was computed from (R34 drill-down)."""

    def get(self, request, pk, user_id, key):
        sheet = selectors.get_sheet(request.user, pk)
        line = selectors.staff_line(request.user, sheet, user_id)
        source = selectors.record_source(line, key) if line else None
        if source is None:
            raise Http404
        records = selectors.drill_down(sheet, user_id, source["metric"])
        total = sum(r.value for r in records) if records is not None else None
        if total is not None and source.get("unit") == "percent":  # the due items, 1 when met: met ÷ due
            total = share_percent(total, len(records)) or 0.0
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=sheet, unit_id=sheet.unit_id,
                     detail={"staff": user_id, "records": key})
        return render(request, "targets/records.html", {"sheet": sheet, "line": line, "source": source, "key": key,
                                                        "records": records, "total": total})


class SheetExportView(SheetsMixin, View):
    def get(self, request, pk):
        sheet = selectors.get_sheet(request.user, pk)
        return exports.sheet_export(request, sheet)

