"""The upload form of the imports page (R8, R29)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.dates import SaneDateField
from wealthdesk.core.widgets import DateInput

from .choices import ImportKind
from .importing.readers import upload_limits


def too_large_message(size: int) -> str | None:
    """The message for an upload above ``CORE_BANKING_MAX_UPLOAD_BYTES`` (checked before the file is read)."""
    limit = upload_limits()["bytes"]
    if size <= limit:
        return None
    return _("文件超过 %(limit)s MB：请拆分后上传，或由总行使用 import_core 命令导入。") % {"limit": limit // (1024 * 1024)}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("数据类型"), choices=ImportKind.choices)
    file = forms.FileField(label=_("文件（CSV：UTF-8 或 GBK；或 .xlsx）"))
    as_of = SaneDateField(label=_("数据日期"), required=False, input_formats=["%Y-%m-%d"],
                            help_text=_("余额文件没有“日期”列时必填，格式 YYYY-MM-DD"),
                            widget=DateInput(attrs={"class": "form-control"}))
    skip_bad_rows = forms.BooleanField(label=_("跳过错误行（错误行写入拒绝文件，其余照常导入）"), required=False)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, label) for k, label in ImportKind.choices if k in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("文件类型不支持：请上传 .csv 或 .xlsx 文件。"))
        message = too_large_message(upload.size)
        if message:
            raise forms.ValidationError(message)
        return upload
