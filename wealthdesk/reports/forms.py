"""Forms of the reports pages; the services validate again (the API goes through them too)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.submission import parse_period
from wealthdesk.customers.choices import Tier

from .kinds import SPECS
from .models import TopicSuggestion


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ReportCreateForm(StyledForm):
    period = forms.CharField(label=_("期间"), max_length=10)
    title = forms.CharField(label=_("选题"), max_length=120, required=False)
    tier = forms.ChoiceField(label=_("涉及客户级别"), choices=[("", "—"), *Tier.choices], required=False)
    product = forms.CharField(label=_("涉及产品"), max_length=60, required=False)
    suggestion = forms.ModelChoiceField(label=_("负责人建议的选题"), queryset=TopicSuggestion.objects.none(),
                                        required=False)

    def __init__(self, *args, kind: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        spec = SPECS[kind]
        examples = {"month": "2026-11", "quarter": "2026Q3", "half": "2026H1"}
        self.fields["period"].widget.attrs["placeholder"] = examples[spec.period]
        self.fields["period"].help_text = _("例如 %(ex)s") % {"ex": examples[spec.period]}
        if spec.has_topic:
            self.fields["suggestion"].queryset = TopicSuggestion.objects.visible_to(user).filter(unit_id=user.unit_id)
        else:
            for name in ("title", "tier", "product", "suggestion"):
                del self.fields[name]

    def clean_period(self):
        try:
            return parse_period(SPECS[self.kind].period, self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        if SPECS[self.kind].has_topic and not (data.get("title") or "").strip():
            suggestion = data.get("suggestion")
            if suggestion is not None:
                data["title"] = suggestion.title
            else:
                self.add_error("title", _("请填写分析报告的选题，或选用负责人建议的选题。"))
        return data


class ReportEditForm(StyledForm):
    """The text sections of one kind, plus the R19 topic fields."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        spec = SPECS[kind]
        self.sections = [key for key, _label in spec.sections]
        for key, label in spec.sections:
            self.fields[key] = forms.CharField(label=label, required=False, max_length=8000,
                                               widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))
        if spec.has_topic:
            self.fields["title"] = forms.CharField(label=_("选题"), max_length=120)
            self.fields["tier"] = forms.ChoiceField(label=_("涉及客户级别"), choices=[("", "—"), *Tier.choices],
                                                    required=False, widget=forms.Select(attrs={"class": "form-select"}))
            self.fields["product"] = forms.CharField(label=_("涉及产品"), max_length=60, required=False,
                                                     widget=forms.TextInput(attrs={"class": "form-control"}))


class TopicDecisionForm(StyledForm):
    topic_note = forms.CharField(label=_("负责人选题意见"), required=False, max_length=8000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    material = forms.CharField(label=_("负责人提供的资料"), required=False, max_length=8000,
                               widget=forms.Textarea(attrs={"rows": 2}))


class SuggestionForm(StyledForm):
    period = forms.CharField(label=_("半年度"), max_length=10, widget=forms.TextInput(attrs={"placeholder": "2026H2"}))
    title = forms.CharField(label=_("建议选题"), max_length=120)
    material = forms.CharField(label=_("参考资料"), required=False, max_length=8000,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def clean_period(self):
        try:
            return parse_period("half", self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
