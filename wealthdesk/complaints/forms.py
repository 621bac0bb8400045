"""Complaint forms. The center and the customer come from the author's own unit (R30): a receiver without
customer reach names a customer only by exact ID number or mobile within that center, or leaves a name."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.dates import SaneDateField
from wealthdesk.core.roles import UPPER_LEVEL
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.widgets import DateInput
from wealthdesk.orgs.models import OrgUnit

from .choices import Category, Channel, LogKind, Outcome, Satisfaction
from .selectors import find_customer_for_complaint
from .services import UNIT_RECORDING_KINDS


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ComplaintForm(StyledForm):
    center = forms.ModelChoiceField(label=_("受理机构"), queryset=OrgUnit.objects.none(), required=False)
    received_on = SaneDateField(label=_("受理日期"), required=False, widget=DateInput())
    channel = forms.ChoiceField(label=_("投诉渠道"), choices=Channel.choices)
    category = forms.ChoiceField(label=_("投诉类别"), choices=Category.choices)
    customer_id_number = forms.CharField(label=_("客户证件号码"), max_length=32, required=False,
                                         help_text=_("本中心客户：填写完整证件号码或手机号之一，精确匹配"))
    customer_mobile = forms.CharField(label=_("客户手机号"), max_length=11, required=False)
    complainant_name = forms.CharField(label=_("投诉人姓名"), max_length=60, required=False,
                                       help_text=_("非本行客户时填写；不填为匿名"))
    complainant_contact = forms.CharField(label=_("投诉人联系方式"), max_length=60, required=False)
    content = forms.CharField(label=_("投诉内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = scope_for(user)
        self.upper = scope.has(*UPPER_LEVEL)
        if self.upper:
            self.fields["center"].queryset = OrgUnit.objects.filter(path__startswith=scope.unit_path,
                                                                   kind__in=UNIT_RECORDING_KINDS)
            self.fields["center"].required = True
        else:
            del self.fields["center"]
        self.initial.setdefault("received_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        center = data.get("center") if self.upper else self.user.unit
        data["center"] = center
        id_number, mobile = data.pop("customer_id_number", ""), data.pop("customer_mobile", "")
        data["customer"] = None
        if id_number or mobile:
            customer = find_customer_for_complaint(self.user, center, id_number=id_number, mobile=mobile)
            if customer is None:
                field = "customer_id_number" if id_number else "customer_mobile"
                self.add_error(field, _("本机构没有与之完全匹配的客户；可改为填写投诉人姓名，或留空作匿名投诉。"))
            data["customer"] = customer
        if not data.get("received_on"):
            data.pop("received_on", None)
        return data


class LogForm(StyledForm):
    kind = forms.ChoiceField(label=_("类型"), choices=[(LogKind.NOTE, LogKind.NOTE.label),
                                                      (LogKind.CONTACT, LogKind.CONTACT.label)])
    note = forms.CharField(label=_("处理记录"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(StyledForm):
    owner = forms.ModelChoiceField(label=_("新责任人"), queryset=None, required=False)

    def __init__(self, *args, complaint=None, **kwargs):
        from wealthdesk.staff.models import User

        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(unit_id=getattr(complaint, "center_id", None),
                                                            is_active=True).order_by("username")


class ExtendForm(StyledForm):
    days = forms.IntegerField(label=_("延长后自受理日起天数"), min_value=1, required=False)
    reason = forms.CharField(label=_("延期原因"), max_length=500, required=False)


class EscalateForm(StyledForm):
    reason = forms.CharField(label=_("上报原因"), max_length=500, required=False)


class CloseForm(StyledForm):
    resolution = forms.CharField(label=_("处理结果"), max_length=2000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("处理结论"), choices=[("", "—"), *Outcome.choices], required=False)
    satisfaction = forms.ChoiceField(label=_("客户满意度"), choices=Satisfaction.choices, initial=Satisfaction.UNKNOWN,
                                     required=False)
