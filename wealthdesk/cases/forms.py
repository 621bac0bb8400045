from django import forms
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.dates import SaneDateField
from wealthdesk.core.widgets import DateInput
from wealthdesk.customers.choices import PREMIUM_TIERS, Tier

from .choices import PlanItemKind, ServiceLevel, SubjectKind


class Styled:
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)


class CaseForm(Styled, forms.Form):
    subject_kind = forms.ChoiceField(label=_("事项类型"), choices=SubjectKind.choices)
    subject_id = forms.CharField(label=_("对象编号"), max_length=32, required=False,
                                 help_text=_("客户号、投诉编号或问题编号"))
    title = forms.CharField(label=_("事项"), max_length=200, required=False)
    question = forms.CharField(label=_("请求上级解决的问题"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                               max_length=4000)
    service_level = forms.ChoiceField(label=_("服务等级"), choices=ServiceLevel.choices)
    to_unit = forms.TypedChoiceField(label=_("上报至"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].choices = [("", _("暂不上报（本级处理）"))] + [(u.pk, str(u)) for u in targets]


class HandUpForm(Styled, forms.Form):
    to_unit = forms.TypedChoiceField(label=_("上报至"), coerce=int,
                                     error_messages={"required": _("请选择上报至哪个机构。")})
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].choices = [(u.pk, str(u)) for u in targets]


class TextForm(Styled, forms.Form):
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)


class JointTeamForm(Styled, forms.Form):
    customer = forms.CharField(label=_("客户号"), max_length=32)
    hq_manager = forms.TypedChoiceField(label=_("总行私人银行客户经理"), coerce=int)
    note = forms.CharField(label=_("服务约定"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hq_manager"].choices = [(u.pk, str(u)) for u in managers]


class PlanItemForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PlanItemKind.choices)
    title = forms.CharField(label=_("内容"), max_length=200, required=False)
    planned_on = SaneDateField(label=_("计划日期"), widget=DateInput(), required=False)


class PlanOutcomeForm(Styled, forms.Form):
    held_on = SaneDateField(label=_("完成日期"), widget=DateInput(), required=False)
    outcome = forms.CharField(label=_("结果"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              max_length=4000)


class IssueForm(Styled, forms.Form):
    issue_no = forms.CharField(label=_("期号"), max_length=20, required=False)
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    article1_title = forms.CharField(label=_("文章一标题"), max_length=200, required=False)
    article1_body = forms.CharField(label=_("文章一正文"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                    max_length=20000)
    article2_title = forms.CharField(label=_("文章二标题"), max_length=200, required=False)
    article2_body = forms.CharField(label=_("文章二正文"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                    max_length=20000)


class PublishForm(Styled, forms.Form):
    tiers = forms.MultipleChoiceField(label=_("发送客户级别"), required=False, widget=forms.CheckboxSelectMultiple,
                                      choices=[(t, Tier(t).label) for t in PREMIUM_TIERS])
    units = forms.TypedMultipleChoiceField(label=_("发送机构"), coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(u.pk, str(u)) for u in units]


class MarketInfoForm(Styled, forms.Form):
    market = forms.CharField(label=_("区域市场信息"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                             max_length=8000)
    customers = forms.CharField(label=_("客户信息（核心客户关系）"), widget=forms.Textarea(attrs={"rows": 3}),
                                required=False, max_length=8000)
    competitors = forms.CharField(label=_("同业动态"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=8000)
    suggestions = forms.CharField(label=_("对总行的建议"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=8000)
