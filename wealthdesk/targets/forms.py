"""Forms and parameter parsing of the targets pages (bad input: a message naming the field, nothing changed)."""
from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.dates import QueryParamError
from wealthdesk.core.registry import metrics

from .choices import PeriodKind
from .models import Indicator

_PATTERNS = {PeriodKind.MONTH: re.compile(r"^(\d{4})-(\d{2})$"), PeriodKind.QUARTER: re.compile(r"^(\d{4})Q([1-4])$"),
             PeriodKind.YEAR: re.compile(r"^(\d{4})$")}
_EXAMPLES = {PeriodKind.MONTH: "2026-12", PeriodKind.QUARTER: "2026Q4", PeriodKind.YEAR: "2026"}


def parse_period(kind: str, text: str) -> dt.date:
    """"2026-12" / "2026Q4" / "2026" → the period's first day; ValueError with a Chinese message otherwise."""
    match = _PATTERNS.get(kind, _PATTERNS[PeriodKind.MONTH]).match((text or "").strip())
    if match:
        year = int(match.group(1))
        if 1900 <= year <= 2100:
            if kind == PeriodKind.YEAR:
                return dt.date(year, 1, 1)
            if kind == PeriodKind.QUARTER:
                return dt.date(year, (int(match.group(2)) - 1) * 3 + 1, 1)
            month = int(match.group(2))
            if 1 <= month <= 12:
                return dt.date(year, month, 1)
    raise ValueError(_g("期间格式不正确，请按 %(ex)s 填写。") % {"ex": _EXAMPLES.get(kind, "2026-12")})


def period_param(request, *, kind: str = PeriodKind.MONTH, name: str = "period", default=None) -> dt.date | None:
    value = request.GET.get(name, "")
    if not value:
        return default
    try:
        return parse_period(kind, value)
    except ValueError as exc:
        raise QueryParamError(name, str(exc)) from None


def kind_param(request) -> str:
    kind = request.GET.get("kind", "")
    if kind and kind not in PeriodKind.values:
        raise QueryParamError("kind", _g("期间类型不正确。"))
    return kind


class IndicatorForm(forms.ModelForm):
    metric_key = forms.ChoiceField(label=_("数据来源"))

    class Meta:
        model = Indicator
        fields = ["code", "name", "metric_key", "unit", "direction", "default_weight", "cap_percent", "position_group",
                  "order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_key"].choices = [(k, metric_choice_label(m)) for k, m in sorted(metrics().items())]


def metric_choice_label(metric) -> str:
    """The metric's label with what head office must match: a percentage, money, or a ceiling (fewer is better)."""
    hints = {"percent": _g("百分比"), "yuan": _g("元")}
    extra = [hints[metric.unit]] if metric.unit in hints else []
    if metric.direction == "negative":
        extra.append(_g("越少越好"))
    return f"{metric.label}（{'，'.join(extra)}）" if extra else str(metric.label)


class AdjustmentForm(forms.Form):
    staff = forms.IntegerField(label=_("员工"))
    points = forms.DecimalField(label=_("调整分数"), max_digits=5, decimal_places=2, min_value=-10, max_value=10)
    reason = forms.CharField(label=_("调整原因"), max_length=200)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
