"""Forms of the daily log (R9), its review (R11) and the debrief (R10)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.dates import SaneDateField
from wealthdesk.core.widgets import DateInput

from .choices import DebriefMode, HelpStatus
from .models import DailyLog
from .services import LOG_FIELDS


def _style(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.HiddenInput | forms.RadioSelect):
            continue
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class DailyLogForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = DailyLog
        fields = list(LOG_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in
                   ("products_sold", "marketing_leads", "relationship_maintenance", "target_progress", "difficulties",
                    "help_needed")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and "version" not in self.initial:
            self.initial["version"] = self.instance.version
        _style(self)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("批阅意见"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


class DebriefForm(forms.Form):
    staff = forms.IntegerField(label=_("客户经理"))
    debrief_date = SaneDateField(label=_("汇报日期"), widget=DateInput())
    mode = forms.ChoiceField(label=_("方式"), choices=DebriefMode.choices)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class HelpUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=HelpStatus.choices)
    resolution = forms.CharField(label=_("处理结果"), required=False, max_length=2000)
