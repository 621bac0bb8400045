"""Forms of the follow-through (htmx dialogs) and of the rule editor. Messages name the field and the reason."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CloseReason
from .models import AlertRule


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class FollowUpForm(StyledForm):
    note = forms.CharField(label=_("跟进情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("请填写跟进情况。")})


class CloseForm(StyledForm):
    reason = forms.ChoiceField(label=_("资金变动原因"), choices=[("", "—")] + list(CloseReason.choices),
                               error_messages={"required": _("请选择资金变动原因。"),
                                               "invalid_choice": _("请从列表中选择资金变动原因。")})
    reason_other = forms.CharField(label=_("其他原因说明"), max_length=200, required=False)
    measures = forms.CharField(label=_("采取的措施"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": _("请填写采取的措施。")})


class ReviewForm(StyledForm):
    comment = forms.CharField(label=_("复核意见"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(StyledForm):
    reason = forms.CharField(label=_("重新打开原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写重新打开的原因。")})


ACTION_FORMS = {"follow-up": FollowUpForm, "close": CloseForm, "review": ReviewForm, "reopen": ReopenForm}


class RuleForm(forms.ModelForm):
    class Meta:
        model = AlertRule
        fields = ["name", "min_amount", "share", "window_days", "is_active"]
        error_messages = {
            "min_amount": {"invalid": _("金额门槛必须是数字。")},
            "share": {"invalid": _("占资产比例必须是 0 到 1 之间的小数。")},
            "window_days": {"invalid": _("观察天数必须是整数。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-check-input" if name == "is_active" else "form-control")


class ManagerFilterForm(forms.Form):
    """The alert list's client-manager filter: a search picker (core.picker) over the managers in the user's
    scope, not a <select> of every manager of the bank (issue 16). An unknown id is a clear message."""

    manager = forms.ModelChoiceField(
        label=_("客户经理"), queryset=None, required=False,
        error_messages={"invalid_choice": _("所选客户经理不存在或不在您的查看范围内，请重新选择。")})

    def __init__(self, data=None, *, user):
        from wealthdesk.core.picker import SearchPickerWidget
        from wealthdesk.core.roles import Role
        from wealthdesk.staff.models import User

        super().__init__(data)
        field = self.fields["manager"]
        field.queryset = User.objects.visible_to(user).with_role(Role.CLIENT_MANAGER)
        field.widget = SearchPickerWidget("staff:pick", params={"role": Role.CLIENT_MANAGER},
                                          placeholder=_("全部客户经理（输入姓名搜索）"))
        field.widget.choices = field.choices
        field.widget.attrs["class"] = "form-control form-control-sm"
