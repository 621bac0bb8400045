"""Forms of campaigns: the plan with its target group, the transitions' inputs, a call and the feedback. The
services do the rule checks; the forms only parse (bad input → a message naming the field)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from wealthdesk.contacts.choices import ContactKind
from wealthdesk.core.dates import SaneDateField
from wealthdesk.core.widgets import DateInput
from wealthdesk.corebanking.choices import ProductKind
from wealthdesk.customers.choices import RiskLevel, Tier
from wealthdesk.reports.models import Report
from wealthdesk.staff.models import User

from .choices import CALL_OUTCOMES, CallStatus, Grade, ProductHeld, Scale

MAX_REPORT_CHOICES = 40
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


def _style(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.HiddenInput | forms.RadioSelect | forms.CheckboxSelectMultiple
                      | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


def _money(label, required=True):
    return forms.DecimalField(label=label, required=required, **MONEY, error_messages={
        "required": _("请填写%(label)s。") % {"label": label}, "invalid": _("请填写金额（元），最多两位小数。"),
        "min_value": _("金额不能为负数。"), "max_digits": _("金额过大。"), "max_decimal_places": _("最多两位小数。")})


class CampaignForm(StyledForm):
    """The plan (R25: theme, content, products, target group, goals, budget, staff, dates, guiding reports)."""

    scale = forms.ChoiceField(label=_("活动规模"), choices=Scale.choices)
    theme = forms.CharField(label=_("活动主题"), max_length=120, error_messages={"required": _("请填写活动主题。")})
    content = forms.CharField(label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("请填写活动内容。")})
    product_kinds = forms.MultipleChoiceField(label=_("推介产品类型"), choices=ProductKind.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    products_note = forms.CharField(label=_("推介产品说明"), max_length=200, required=False)
    starts_on = SaneDateField(label=_("开始日期"), widget=DateInput(), error_messages={"required": _("请填写开始日期。")})
    ends_on = SaneDateField(label=_("结束日期"), widget=DateInput(), error_messages={"required": _("请填写结束日期。")})
    event_on = SaneDateField(label=_("活动（沙龙/讲座）日期"), widget=DateInput(), required=False)
    goal_reached = forms.IntegerField(label=_("目标：联系客户数"), min_value=0, max_value=1_000_000, error_messages={
        "required": _("请填写目标联系客户数。"), "invalid": _("请填写整数。"), "min_value": _("不能为负数。")})
    goal_conversions = forms.IntegerField(label=_("目标：成交客户数"), min_value=0, max_value=1_000_000, error_messages={
        "required": _("请填写目标成交客户数。"), "invalid": _("请填写整数。"), "min_value": _("不能为负数。")})
    goal_aum = _money(_("目标：新增资产（元）"))
    budget = _money(_("预算（元）"))
    staff = forms.ModelMultipleChoiceField(label=_("参与人员"), queryset=User.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"invalid_choice": _("参与人员须为本理财中心的员工。")})
    reports = forms.ModelMultipleChoiceField(label=_("依据的需求分析/市场报告"), queryset=Report.objects.none(),
                                             required=False, widget=forms.CheckboxSelectMultiple,
                                             error_messages={"invalid_choice": _("所选报告不存在或您无权查看。")})
    # the target group (segment)
    segment_name = forms.CharField(label=_("客户群名称"), max_length=80, required=False)
    tiers = forms.MultipleChoiceField(label=_("客户级别"), choices=Tier.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    aum_min = _money(_("资产下限（元）"), required=False)
    aum_max = _money(_("资产上限（元）"), required=False)
    product_kind = forms.ChoiceField(label=_("产品类型"), choices=[("", _("不限"))] + list(ProductKind.choices),
                                     required=False)
    product_held = forms.ChoiceField(label=_("是否持有该类产品"), choices=ProductHeld.choices, required=False)
    maturity_from = SaneDateField(label=_("产品到期日起"), widget=DateInput(), required=False)
    maturity_to = SaneDateField(label=_("产品到期日止"), widget=DateInput(), required=False)
    risk_levels = forms.MultipleChoiceField(label=_("风险承受能力"), choices=RiskLevel.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    age_min = forms.IntegerField(label=_("年龄下限"), min_value=0, max_value=120, required=False,
                                 error_messages={"invalid": _("请填写整数。")})
    age_max = forms.IntegerField(label=_("年龄上限"), min_value=0, max_value=120, required=False,
                                 error_messages={"invalid": _("请填写整数。")})
    last_contact_before = SaneDateField(label=_("最近联系早于"), widget=DateInput(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    SEGMENT_FIELDS = ("tiers", "aum_min", "aum_max", "product_kind", "product_held", "maturity_from", "maturity_to",
                      "risk_levels", "age_min", "age_max", "last_contact_before")
    PLAN_FIELDS = ("scale", "theme", "content", "product_kinds", "products_note", "goal_reached", "goal_conversions",
                   "goal_aum", "budget", "starts_on", "ends_on", "event_on")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from wealthdesk.core.roles import Role

        from .services import GUIDING_KINDS

        self.fields["staff"].queryset = User.objects.filter(unit_id=user.unit_id, is_active=True) \
            .with_role(Role.CLIENT_MANAGER, Role.TEAM_LEAD).order_by("full_name", "username")
        recent = Report.objects.visible_to(user).filter(kind__in=GUIDING_KINDS) \
            .order_by("-period_start", "-id").values_list("pk", flat=True)[:MAX_REPORT_CHOICES]
        self.fields["reports"].queryset = Report.objects.filter(pk__in=list(recent)) \
            .select_related("unit", "author").order_by("-period_start", "-id")

    def plan_bound_fields(self):
        return [self[n] for n in (*self.PLAN_FIELDS[:5], "starts_on", "ends_on", "event_on", "goal_reached",
                                  "goal_conversions", "goal_aum", "budget", "staff", "reports")]

    def segment_bound_fields(self):
        return [self[n] for n in ("segment_name", *self.SEGMENT_FIELDS)]

    def plan(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.PLAN_FIELDS}

    def segment(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.SEGMENT_FIELDS}
        data["name"] = self.cleaned_data.get("segment_name") or ""
        return data

    @classmethod
    def initial_from(cls, campaign) -> dict:
        seg = campaign.segment
        data = {k: getattr(campaign, k) for k in cls.PLAN_FIELDS}
        data.update({k: getattr(seg, k) for k in cls.SEGMENT_FIELDS})
        data.update(segment_name=seg.name, version=campaign.version, staff=list(campaign.staff.all()),
                    reports=list(campaign.reports.all()))
        return data


class ReturnForm(StyledForm):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("退回时请填写退回原因。")})


class CallForm(StyledForm):
    """One call of the list: the outcome, and the contact record's kind and notes (R27)."""

    outcome = forms.ChoiceField(label=_("联系结果"), choices=[("", _("请选择"))] + [(v, CallStatus(v).label) for v in CALL_OUTCOMES],
                                error_messages={"required": _("请选择联系结果。"),
                                                "invalid_choice": _("请选择联系结果。")})
    kind = forms.ChoiceField(label=_("联系方式"), choices=ContactKind.choices, initial=ContactKind.PHONE)
    content = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    response = forms.CharField(label=_("客户反馈"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label=_("下一步"), max_length=200, required=False)


class FeedbackForm(StyledForm):
    spent = _money(_("实际花费（元）"))
    staffing_note = forms.CharField(label=_("人员投入情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lessons = forms.CharField(label=_("经验与改进"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvaluateForm(StyledForm):
    grade = forms.ChoiceField(label=_("评价等级"), choices=Grade.choices,
                              error_messages={"required": _("请选择评价等级。")})
    evaluation = forms.CharField(label=_("评价意见"), widget=forms.Textarea(attrs={"rows": 3}),
                                 error_messages={"required": _("请填写评价意见。")})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
