from django import forms
from django.utils.translation import gettext_lazy as _

NARRATIVE_MAX = 4000


class NarrativeForm(forms.Form):
    """The head's narrative beside an analysis (R36); ``version`` is the one read (DESIGN rule 13)."""

    body = forms.CharField(label=_("分析意见"), max_length=NARRATIVE_MAX,
                           widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
                           error_messages={"required": _("分析意见不能为空。")})
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
