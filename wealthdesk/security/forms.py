from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(label=_("动态验证码"), max_length=32, strip=True,
                           error_messages={"required": _("请输入动态验证码。")},
                           widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "one-time-code",
                                                         "inputmode": "text", "autofocus": True}))


class EnrolForm(CodeForm):
    code = forms.CharField(label=_("身份验证器上的6位验证码"), max_length=6, min_length=6, strip=True,
                           error_messages={"required": _("请输入身份验证器上的6位验证码。"),
                                           "min_length": _("验证码为6位数字。")},
                           widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "one-time-code",
                                                         "inputmode": "numeric", "autofocus": True}))


class PasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-control"})
