"""Forms of the archive pages (thin: the services validate and decide)."""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.dates import SaneDateField
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.widgets import DateInput
from wealthdesk.customers.forms import customer_picker
from wealthdesk.customers.models import Customer

from .choices import DocumentType


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class UploadForm(_Styled):
    customer = forms.ModelChoiceField(label=_("客户"), queryset=Customer.objects.none(),
                                      error_messages={"required": _("请选择客户。"),
                                                      "invalid_choice": _("该客户不在您的管辖范围内。")})
    doc_type = forms.ChoiceField(label=_("资料类型"), choices=DocumentType.choices,
                                 error_messages={"required": _("请选择资料类型。")})
    title = forms.CharField(label=_("资料名称"), max_length=120,
                            error_messages={"required": _("请填写资料名称。")})
    file = forms.FileField(label=_("文件（PDF、PNG 或 JPEG）"), error_messages={"required": _("请选择要上传的文件。")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = scope_for(user).has(Role.CLIENT_MANAGER) and not scope_for(user).has(Role.ARCHIVE_KEEPER)
        self.fields["customer"].widget = customer_picker(own=own)  # before the queryset, which binds its choices
        self.fields["customer"].queryset = Customer.objects.visible_to(user)
        self.fields["file"].widget.attrs["accept"] = "application/pdf,image/png,image/jpeg"


class RevealDownloadForm(_Styled):
    reason = forms.CharField(label=_("查看原因"), max_length=200, error_messages={"required": _("请填写查看原因。")})


class PaperFileForm(_Styled):
    customer = forms.ModelChoiceField(label=_("客户"), queryset=Customer.objects.none(),
                                      error_messages={"required": _("请选择客户。"),
                                                      "invalid_choice": _("该客户不在您的管辖范围内。")})
    reference = forms.CharField(label=_("档案编号"), max_length=40, error_messages={"required": _("请填写档案编号。")})
    description = forms.CharField(label=_("内容"), max_length=200, required=False)
    location = forms.CharField(label=_("存放位置"), max_length=60, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].widget = customer_picker()
        self.fields["customer"].queryset = Customer.objects.visible_to(user)


class CheckOutForm(_Styled):
    holder = forms.ModelChoiceField(label=_("借阅人"), queryset=get_user_model().objects.none(),
                                    error_messages={"required": _("请选择借阅人。"),
                                                    "invalid_choice": _("借阅人须为本理财中心在岗人员。")})
    purpose = forms.CharField(label=_("借阅用途"), max_length=200, error_messages={"required": _("请填写借阅用途。")})
    due_back_on = SaneDateField(label=_("应归还日期"), required=False, widget=DateInput(),
                                help_text=_("不填则按借阅时限自动计算。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, center_id, **kwargs):
        super().__init__(*args, **kwargs)
        # the people of one center: a few dozen at most, so a plain select is fine
        self.fields["holder"].queryset = get_user_model().objects.filter(unit_id=center_id, is_active=True) \
            .order_by("username")
