from django import forms
from django.utils.translation import gettext_lazy as _

from .replay import MAX_URL
from .services import MAX_TEXT


class RequestForm(forms.Form):
    url = forms.CharField(label=_("导出链接"), max_length=MAX_URL, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("导出理由"), max_length=MAX_TEXT, required=False,
                             widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                             help_text=_("写明用途，例如：季度到期客户集中回访名单。"))


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("审批意见"), max_length=MAX_TEXT, required=False,
                              widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
