"""Referral forms: the counter form (at most four required fields, R16) and the follow-up actions."""
from django import forms
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.roles import Role
from wealthdesk.staff.models import User

from .choices import AssignmentRule, LookupKind, Signal, Urgency

CONTACT_KINDS = [("phone", _("电话")), ("meeting", _("会面")), ("mail", _("邮寄")), ("other", _("其他（微信等）"))]


def _style(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(field.widget, forms.Select | forms.RadioSelect):
            field.widget.attrs.setdefault("class", "form-select")
        else:
            field.widget.attrs.setdefault("class", "form-control")


class ReferralForm(forms.Form):
    """Required: the customer (ID number or mobile, or a new prospect's name and mobile) and what was noticed;
    urgency and follow-up have defaults. Choices of client managers come from the referrer's own centers."""

    lookup_kind = forms.ChoiceField(label=_("查找方式"), choices=LookupKind.choices, initial=LookupKind.MOBILE)
    lookup_value = forms.CharField(label=_("身份证号码或手机号"), max_length=18, required=False,
                                   widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text",
                                                                 # Enter runs the lookup, not the whole referral
                                                                 "data-enter-clicks": "[data-testid=lookup]"}))
    prospect_name = forms.CharField(label=_("新客户姓名"), max_length=60, required=False)
    prospect_mobile = forms.CharField(label=_("新客户手机号"), max_length=11, required=False)
    signal = forms.ChoiceField(label=_("发现情况"), choices=Signal.choices)
    need = forms.CharField(label=_("客户需求"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    needs_follow_up = forms.BooleanField(label=_("需要客户经理跟进"), required=False, initial=True)
    assign_to = forms.ModelChoiceField(label=_("指定客户经理（可选）"), queryset=User.objects.none(), required=False,
                                       empty_label=_("按规则自动分配"))
    confirm_duplicate = forms.BooleanField(label=_("仍要推介（确认不是重复推介）"), required=False)

    def __init__(self, *args, centers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assign_to"].queryset = User.objects.filter(
            unit__in=centers, is_active=True, role_assignments__role=Role.CLIENT_MANAGER).distinct() \
            .order_by("full_name")
        _style(self)


class LookupForm(forms.Form):
    lookup_kind = forms.ChoiceField(choices=LookupKind.choices)
    lookup_value = forms.CharField(max_length=18)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("联系方式"), choices=CONTACT_KINDS)
    content = forms.CharField(label=_("联系内容"), widget=forms.Textarea(attrs={"rows": 2}))
    response = forms.CharField(label=_("客户反馈"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label=_("下一步"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ConvertForm(forms.Form):
    amount = forms.CharField(label=_("带来资产（元）"), max_length=24)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class InvalidForm(forms.Form):
    reason = forms.CharField(label=_("无效原因"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class RuleForm(forms.Form):
    rule = forms.ChoiceField(label=_("分配规则"), choices=AssignmentRule.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
