"""Forms of the expert pool and consultations. Services do the checks; forms parse and name the fields."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.dates import SaneDateField, SaneDateTimeField
from wealthdesk.core.widgets import DateInput, DateTimeInput
from wealthdesk.customers.forms import customer_picker
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from .choices import WEEKDAYS, ExpertKind, Level, Specialty, Urgency, Usage
from .models import POOL_ROLES, PoolMember
from .selectors import askable_members
from .services import LEVEL_KINDS, NOT_OWN_CUSTOMER

TEXTAREA = forms.Textarea(attrs={"rows": 4, "class": "form-control"})
SELECT = {"class": "form-select"}
INPUT = {"class": "form-control"}


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user} · {obj.get_kind_display()} · {obj.unit} · {'、'.join(obj.specialty_labels)}"


class AskForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("客户"), queryset=Customer.objects.none(),
                                      error_messages={"invalid_choice": NOT_OWN_CUSTOMER,
                                                      "required": _("客户：请选择客户。")})
    specialty = forms.ChoiceField(label=_("专业领域"), choices=[("", "—"), *Specialty.choices],
                                  widget=forms.Select(attrs=SELECT))
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL,
                                widget=forms.Select(attrs=SELECT))
    level = forms.ChoiceField(label=_("咨询层级"), choices=[("", _("（指定专家时不填）")), *Level.choices],
                              required=False, widget=forms.Select(attrs=SELECT))
    requested_expert = MemberChoiceField(label=_("指定专家（可选）"), queryset=PoolMember.objects.none(),
                                         required=False, widget=forms.Select(attrs=SELECT))
    question = forms.CharField(label=_("咨询问题"), widget=TEXTAREA, max_length=4000,
                               help_text=_("请勿填写客户姓名、证件号、手机号等身份信息；系统会自动附上脱敏的客户概况。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).filter(client_manager=user)
        self.fields["customer"].widget = customer_picker(own=True)
        self.fields["requested_expert"].queryset = askable_members(user)

    def clean(self):
        data = super().clean()
        if not data.get("level") and not data.get("requested_expert") and "level" not in self.errors:
            self.add_error("level", _("咨询层级：请选择支行、分行或总行，或指定一位专家。"))
        return data


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("人员"), queryset=User.objects.none(), widget=forms.Select(attrs=SELECT))
    kind = forms.ChoiceField(label=_("类别"), choices=ExpertKind.choices, widget=forms.Select(attrs=SELECT))
    unit = forms.ModelChoiceField(label=_("服务机构"), queryset=OrgUnit.objects.none(),
                                  widget=forms.Select(attrs=SELECT))
    company = forms.CharField(label=_("所属公司"), required=False, max_length=80, widget=forms.TextInput(attrs=INPUT))
    title = forms.CharField(label=_("职务/资质"), required=False, max_length=80, widget=forms.TextInput(attrs=INPUT))
    specialties = forms.MultipleChoiceField(label=_("专业领域"), choices=Specialty.choices,
                                            widget=forms.CheckboxSelectMultiple)
    engaged_from = SaneDateField(label=_("聘用开始日期"), required=False, widget=DateInput(attrs=INPUT))
    engagement_ends_on = SaneDateField(label=_("聘用结束日期"), required=False, widget=DateInput(attrs=INPUT))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [k for ks in LEVEL_KINDS.values() for k in ks]
        unit = user.unit
        self.fields["unit"].queryset = (OrgUnit.objects.filter(path__startswith=unit.path, kind__in=kinds)
                                        if unit else OrgUnit.objects.none())
        self.fields["user"].queryset = (User.objects.visible_to(user).filter(role_assignments__role__in=POOL_ROLES)
                                        .exclude(pool_member__isnull=False).distinct().order_by("username")
                                        if unit else User.objects.none())


class MemberEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    company = forms.CharField(label=_("所属公司"), required=False, max_length=80, widget=forms.TextInput(attrs=INPUT))
    title = forms.CharField(label=_("职务/资质"), required=False, max_length=80, widget=forms.TextInput(attrs=INPUT))
    specialties = forms.MultipleChoiceField(label=_("专业领域"), choices=Specialty.choices,
                                            widget=forms.CheckboxSelectMultiple)
    engagement_ends_on = SaneDateField(label=_("聘用结束日期"), required=False, widget=DateInput(attrs=INPUT))


class RevokeForm(forms.Form):
    revoke_reason = forms.CharField(label=_("撤销原因"), max_length=200, widget=forms.TextInput(attrs=INPUT))


class SlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("星期"), choices=WEEKDAYS, coerce=int, widget=forms.Select(attrs=SELECT))
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={**INPUT, "type": "time"},
                                                                             format="%H:%M"))
    end_time = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs={**INPUT, "type": "time"},
                                                                           format="%H:%M"))


class TextForm(forms.Form):
    text = forms.CharField(label=_("内容"), widget=TEXTAREA, max_length=4000)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control", "accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("答复"), widget=TEXTAREA, max_length=8000)
    attachments = MultipleFileField(label=_("附件（PDF或图片，可多个）"), required=False)


class BookingForm(forms.Form):
    starts_at = SaneDateTimeField(label=_("开始时间"), widget=DateTimeInput(attrs=INPUT))
    ends_at = SaneDateTimeField(label=_("结束时间"), widget=DateTimeInput(attrs=INPUT))
    place = forms.CharField(label=_("地点/方式"), required=False, max_length=80, widget=forms.TextInput(attrs=INPUT))


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    usage = forms.ChoiceField(label=_("答复使用情况"), choices=[("", "—"), *Usage.choices],
                              widget=forms.Select(attrs=SELECT))
    usage_note = forms.CharField(label=_("使用说明"), required=False, widget=TEXTAREA, max_length=2000)
    rating = forms.TypedChoiceField(label=_("评分"), coerce=int, choices=[("", "—")] + [(i, str(i)) for i in range(5, 0, -1)],
                                    required=False, empty_value=None, widget=forms.Select(attrs=SELECT))
    rating_comment = forms.CharField(label=_("评价"), required=False, max_length=200,
                                     widget=forms.TextInput(attrs=INPUT))


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("评分"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)],
                                    widget=forms.Select(attrs=SELECT))
    rating_comment = forms.CharField(label=_("评价"), required=False, max_length=200,
                                     widget=forms.TextInput(attrs=INPUT))
