"""Forms of huddles, meetings, action items and problems; the services do the rule checks."""
import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.dates import SaneDateField
from wealthdesk.core.widgets import DateInput

from .choices import HuddleKind, MeetingKind


def _style(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.HiddenInput | forms.RadioSelect):
            continue
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class HuddleRecordForm(StyledForm):
    """A huddle recorded after the fact: the day, when it started and how long it took."""

    team = forms.ModelChoiceField(label=_("团队"), queryset=None, error_messages={
        "required": _("请选择团队。"), "invalid_choice": _("该团队不存在或不归您管理。")})
    kind = forms.ChoiceField(label=_("类型"), choices=HuddleKind.choices)
    held_on = SaneDateField(label=_("日期"), widget=DateInput())
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label=_("时长（分钟）"), error_messages={"invalid": _("时长请填写整数分钟。")})
    targets = forms.CharField(label=_("今日目标/士气"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(label=_("小结"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def clean(self):
        data = super().clean()
        if data.get("held_on") and data.get("start_time"):
            data["started_at"] = timezone.make_aware(dt.datetime.combine(data["held_on"], data["start_time"]))
            if data["started_at"] > timezone.now():
                self.add_error("held_on", _("晨会/夕会不能登记在未来的时间。"))
        return data


class HuddleCloseForm(StyledForm):
    duration_minutes = forms.IntegerField(label=_("时长（分钟）"), required=False,
                                          error_messages={"invalid": _("时长请填写整数分钟。")})
    targets = forms.CharField(label=_("今日目标/士气"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(label=_("小结（销售、问题、总结）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProblemForm(StyledForm):
    title = forms.CharField(label=_("问题"), max_length=300, error_messages={"required": _("请填写问题。")})
    detail = forms.CharField(label=_("详细说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    raised_by = forms.ModelChoiceField(label=_("提出人"), queryset=None, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["raised_by"]
        else:
            self.fields["raised_by"].queryset = people


class MeetingForm(StyledForm):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    team = forms.ModelChoiceField(label=_("团队"), queryset=None, required=False)
    held_on = SaneDateField(label=_("会议日期"), widget=DateInput(),
                              error_messages={"required": _("请填写会议日期。")})
    title = forms.CharField(label=_("会议主题"), max_length=120, error_messages={"required": _("请填写会议主题。")})
    recorder = forms.ModelChoiceField(label=_("记录人"), queryset=None, required=False)
    agenda = forms.CharField(label=_("议程"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, teams=None, recorders=None, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["recorder"].queryset = recorders
        if kinds is not None:
            self.fields["kind"].choices = [c for c in MeetingKind.choices if c[0] in kinds]


class MinutesForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("会议主题"), max_length=120)
    agenda = forms.CharField(label=_("议程"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    decisions = forms.CharField(label=_("决议"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class ActionItemForm(StyledForm):
    text = forms.CharField(label=_("待办事项"), max_length=300, required=False)
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=None, required=False,
                                   error_messages={"invalid_choice": _("责任人须是参会人员或本机构员工。")})
    due_date = SaneDateField(label=_("完成时限"), required=False, widget=DateInput(),
                               error_messages={"invalid": _("完成时限请填写日期（YYYY-MM-DD）。")})

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class TextForm(StyledForm):
    text = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EscalateForm(StyledForm):
    to_unit = forms.ChoiceField(label=_("上报至"), choices=())
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].choices = [(u.pk, f"{u.get_kind_display()} · {u.name}") for u in targets]
        self.fields["to_unit"].error_messages["invalid_choice"] = _("请选择本机构的上级机构（支行或分行）。")
