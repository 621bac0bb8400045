"""Forms of career goals, quarterly reviews, training plans and assessments; the services do the rule checks.

The staff and unit fields validate against every active record and render only the user's own choices: a choice
outside the user's reach (a stale page, a crafted request) reaches the service, which refuses it with a message
naming the field (R37: "a review for another center's staff member is refused")."""
from django import forms
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.dates import SaneDateField
from wealthdesk.core.roles import Role
from wealthdesk.core.widgets import DateInput
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from .models import STAFF_POSITIONS

QUARTERS = [(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))]


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput | forms.CheckboxSelectMultiple):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


def _staff_field():
    return forms.ModelChoiceField(label=_("员工"), queryset=User.objects.filter(is_active=True), error_messages={
        "required": _("请选择员工。"), "invalid_choice": _("所选员工不存在。")})


class GoalTextForm(StyledForm):
    goal = forms.CharField(label=_("职业目标"), widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("请填写职业目标。")})
    alignment = forms.CharField(label=_("与本行战略的一致性"), widget=forms.Textarea(attrs={"rows": 2}),
                                error_messages={"required": _("请填写与本行战略的一致性。")})
    measures = forms.CharField(label=_("实现措施"), widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": _("请填写实现措施。")})


class GoalForm(GoalTextForm):
    """The head sets a staff member's yearly goals with them (R37)."""

    staff = _staff_field()
    year = forms.IntegerField(label=_("年度"), error_messages={"required": _("请填写年度。"),
                                                             "invalid": _("年度必须是四位数字。")})
    field_order = ["staff", "year", "goal", "alignment", "measures"]

    def __init__(self, *args, staff_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].widget.choices = [("", "—")] + [(u.pk, str(u)) for u in staff_choices]


class GoalEditForm(GoalTextForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(StyledForm):
    """The quarterly review held with a staff member (R37)."""

    staff = _staff_field()
    year = forms.IntegerField(label=_("年度"), error_messages={"required": _("请填写年度。"),
                                                             "invalid": _("年度必须是四位数字。")})
    quarter = forms.TypedChoiceField(label=_("季度"), choices=QUARTERS, coerce=int,
                                     error_messages={"required": _("请选择季度。"),
                                                     "invalid_choice": _("季度必须是 1 到 4。")})
    held_on = SaneDateField(label=_("回顾日期"), widget=DateInput(),
                            error_messages={"required": _("请填写回顾日期。"), "invalid": _("回顾日期格式应为 YYYY-MM-DD。")})
    progress = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": _("请填写进展情况。")})
    next_steps = forms.CharField(label=_("下一步安排"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, staff_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].widget.choices = [("", "—")] + [(u.pk, str(u)) for u in staff_choices]


def position_choices():
    return [(r.value, r.label) for r in Role if r.value in STAFF_POSITIONS]


class TrainingForm(StyledForm):
    """A training plan for the organizer's own unit or the units below it (R38, R40)."""

    topic = forms.CharField(label=_("培训主题"), max_length=120, error_messages={"required": _("请填写培训主题。")})
    held_on = SaneDateField(label=_("培训日期"), widget=DateInput(),
                            error_messages={"required": _("请填写培训日期。"), "invalid": _("培训日期格式应为 YYYY-MM-DD。")})
    trainer = forms.CharField(label=_("培训讲师"), max_length=60, error_messages={"required": _("请填写培训讲师。")})
    audience_units = forms.ModelMultipleChoiceField(
        label=_("培训对象机构"), queryset=OrgUnit.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"required": _("请选择培训对象机构。"), "invalid_choice": _("所选机构不存在。"),
                        "invalid_pk_value": _("所选机构不存在。")})
    audience_positions = forms.MultipleChoiceField(label=_("培训对象岗位（不选为全部岗位）"), required=False,
                                                   choices=position_choices, widget=forms.CheckboxSelectMultiple)
    gap = forms.CharField(label=_("培训需求（差距）"), widget=forms.Textarea(attrs={"rows": 2}),
                          error_messages={"required": _("请填写培训需求（差距）。")})
    indicator_code = forms.CharField(label=_("关联指标代码"), required=False, max_length=40)

    def __init__(self, *args, unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience_units"].widget.choices = [(u.pk, u.name) for u in unit_choices]


class AssessForm(StyledForm):
    score = forms.CharField(label=_("考核成绩"), required=False)
    comment = forms.CharField(label=_("考核评语"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
