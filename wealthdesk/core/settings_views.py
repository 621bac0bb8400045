"""Head office's settings page: parameters, tier thresholds (R2) and the working-day calendar."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from . import settings_services as services
from .calendar import year_is_loaded
from .models import CalendarDay
from .params import DEFAULTS, get_params
from .views import RoleRequiredMixin

FIELD_LABELS = {"private": gettext_lazy("私人银行客户"), "core": gettext_lazy("核心优质客户"),
                "premium": gettext_lazy("普通优质客户"), "ordinary": gettext_lazy("普通客户"),
                "date": gettext_lazy("日期"), "name": gettext_lazy("名称"), "__all__": gettext_lazy("客户级别标准"),
                "key": gettext_lazy("参数")}


def param_label(key: str) -> str:
    """The parameter's Chinese description, in the user's language (never the internal key)."""
    description = DEFAULTS.get(key, (None, ""))[1]
    return _(str(description)) if description else key


def is_money(key: str) -> bool:
    return key.endswith("amount") or "（元）" in str(DEFAULTS.get(key, (None, ""))[1])


def display_value(key: str, value) -> str:
    """Money with thousands separators and two decimals; other figures as they are."""
    if is_money(key) and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f"{Decimal(str(value)):,.2f}"
    return str(value)


def _report(request, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        label = FIELD_LABELS.get(field) or (param_label(field) if field in DEFAULTS else field)
        for error in errors:
            messages.error(request, f"{label}：{error}")


class HeadOfficeMixin(RoleRequiredMixin):
    allowed_roles = services.SETTINGS_ROLES


class SettingsView(HeadOfficeMixin, TemplateView):
    template_name = "core/settings.html"

    def get_context_data(self, **kwargs):
        from wealthdesk.customers.choices import Tier
        from wealthdesk.customers.services import tier_thresholds

        ctx = super().get_context_data(**kwargs)
        year = self.request.GET.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
        current = get_params(DEFAULTS)  # one query when the cache has expired, not one per parameter
        ctx["params"] = sorted(({"key": k, "label": param_label(k), "value": display_value(k, current[k]),
                                 "default": display_value(k, v), "money": is_money(k)}
                                for k, (v, d) in DEFAULTS.items()), key=lambda p: p["key"])
        from wealthdesk.contacts.policy import intervals

        months = intervals()
        ctx["contact_policy"] = [{"tier": t, "label": label, "months": months[t]} for t, label in Tier.choices
                                 if t in months]
        thresholds = tier_thresholds()
        ctx["tiers"] = [{"key": t, "label": label, "value": thresholds[t]} for t, label in Tier.choices
                        if t in thresholds]
        ctx["year"], ctx["years"] = year, [year - 1, year, year + 1]
        ctx["days"] = CalendarDay.objects.filter(date__year=year).order_by("date")
        today = timezone.localdate()
        # Deadlines count working days: warn while this year's or next year's official calendar is missing.
        ctx["missing_years"] = [y for y in (today.year, today.year + 1) if not year_is_loaded(y)]
        return ctx


class ParameterSetView(HeadOfficeMixin, View):
    def post(self, request):
        try:
            services.parameter_set(actor=request.user, key=request.POST.get("key", ""), raw=request.POST.get("value"))
            messages.success(request, _("参数已保存。"))
        except ValidationError as exc:
            _report(request, exc)
        return redirect("core:settings")


class TierThresholdsSetView(HeadOfficeMixin, View):
    def post(self, request):
        from wealthdesk.customers.services import tier_thresholds_set

        values, errors = {}, {}
        for key in ("private", "core", "premium"):
            raw = (request.POST.get(key) or "").replace(",", "").strip()
            try:
                values[key] = Decimal(raw)
            except InvalidOperation:
                errors[key] = [_("“%(v)s”不是有效的金额。") % {"v": raw}]
        try:
            if errors:
                raise ValidationError(errors)
            tier_thresholds_set(actor=request.user, **values)
            messages.success(request, _("客户级别标准已保存，下次余额导入后按新标准重算级别。"))
        except ValidationError as exc:
            _report(request, exc)
        return redirect("core:settings")


class ContactPolicySetView(HeadOfficeMixin, View):
    """R26: the minimum contact frequency per tier, on the settings page (validated, audited)."""

    def post(self, request):
        from wealthdesk.contacts.services import contact_policy_set

        try:
            contact_policy_set(actor=request.user, intervals={k: request.POST.get(k, "") for k in
                                                              ("private", "core", "premium", "ordinary")})
            messages.success(request, _("联系频率标准已保存。"))
        except ValidationError as exc:
            _report(request, exc)
        return redirect("/core/settings/#contact-policy")


class CalendarDaySetView(HeadOfficeMixin, View):
    def post(self, request):
        raw = request.POST.get("date", "")
        try:
            try:
                day = dt.date.fromisoformat(raw)
            except ValueError:
                raise ValidationError({"date": [_("日期格式应为 YYYY-MM-DD。")]}) from None
            services.calendar_day_set(actor=request.user, day=day, is_working_day=request.POST.get("kind") == "work",
                                      name=request.POST.get("name", ""))
            messages.success(request, _("工作日历已更新。"))
            return redirect(f"/core/settings/?year={day.year}#calendar")
        except ValidationError as exc:
            _report(request, exc)
        return redirect("core:settings")


class CalendarDayDeleteView(HeadOfficeMixin, View):
    def post(self, request, pk):
        day = get_object_or_404(CalendarDay, pk=pk)
        year = day.date.year
        services.calendar_day_delete(actor=request.user, day=day)
        messages.success(request, _("已删除。"))
        return redirect(f"/core/settings/?year={year}#calendar")
