"""Customer forms: entry by the archive keeper / center head (R29), upkeep of master data, reassignment of the
responsible client manager (R3), and the reveal request (R28)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.masking import MASKERS
from wealthdesk.core.picker import SearchPickerWidget
from wealthdesk.core.roles import Role
from wealthdesk.core.widgets import DateInput
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from .choices import Tier
from .models import Customer
from .services import BALANCE_CHOICES, MASTER_FIELDS, REVEALABLE_FIELDS, editable_fields


def _style(form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)):
            continue
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class CustomerForm(forms.ModelForm):
    """Choices for center and client manager come from the author's own scope."""

    class Meta:
        model = Customer
        fields = ["cif_no", "name", "gender", "birth_date", "id_type", "id_number", "mobile", "address",
                  "occupation", "tier", "risk_level", "center", "client_manager"]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = OrgUnit.objects.visible_to(user).centers()
        self.fields["client_manager"].queryset = User.objects.visible_to(user).with_role("client_manager")
        _style(self)


class CustomerEditForm(forms.ModelForm):
    """The fields this user may change on this customer (``services.editable_fields``), plus the version read.

    Masked fields (ID number, mobile, address) are never sent to the page in clear: their input is empty with the
    masked value as a hint; leaving it empty keeps the stored value.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Customer
        fields = [*MASTER_FIELDS, "tier"]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = editable_fields(user, self.instance)
        for name in list(self.fields):
            if name != "version" and name not in allowed:
                del self.fields[name]
        self.fields["version"].initial = self.instance.version
        for name in REVEALABLE_FIELDS:
            if name in self.fields:
                field = self.fields[name]
                field.required = False
                field.widget.attrs["placeholder"] = MASKERS[name](getattr(self.instance, name)) or "—"
                field.help_text = _("留空表示不修改")
                self.initial[name] = ""
        _style(self)

    def _post_clean(self):  # the service validates the model; keep the instance untouched here
        pass

    def changes(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for name in REVEALABLE_FIELDS:
            if name in data and data[name] in ("", None):
                del data[name]
        return data


class _ManagerChoice(forms.ModelChoiceField):
    def __init__(self, *args, loads=None, **kwargs):
        self.loads = loads or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        row = self.loads.get(obj.pk)
        if not row:
            return str(obj)
        label = _("%(name)s（优质客户 %(n)s / 上限 %(max)s）") % {"name": obj, "n": row["premium"], "max": row["max"]}
        return label + (str(_(" · 已超负荷")) if row["overloaded"] else "")


class _ManagersChoice(_ManagerChoice, forms.ModelMultipleChoiceField):
    pass


def _client_managers(user, center_id=None):
    qs = User.objects.visible_to(user).with_role(Role.CLIENT_MANAGER).filter(is_active=True)
    if center_id is not None:
        qs = qs.filter(unit_id=center_id)
    return qs.order_by("full_name", "id")


class ReassignForm(forms.Form):
    """One customer to another client manager of the same center; the choices show each one's book."""

    to_manager = _ManagerChoice(label=_("新客户经理"), queryset=User.objects.none())
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, customer, book, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_manager"].queryset = _client_managers(user, customer.center_id).exclude(
            pk=customer.client_manager_id or 0)
        self.fields["to_manager"].loads = {r["manager"].pk: r for r in book}
        self.fields["version"].initial = customer.version
        _style(self)


class BulkReassignForm(forms.Form):
    """A leaving client manager's book, by tier, to one or several others of the same center."""

    from_manager = _ManagerChoice(label=_("移交客户的客户经理"), queryset=User.objects.none())
    tiers = forms.MultipleChoiceField(label=_("客户级别"), choices=Tier.choices, widget=forms.CheckboxSelectMultiple,
                                      initial=[Tier.PRIVATE, Tier.CORE, Tier.PREMIUM])
    to_managers = _ManagersChoice(label=_("接手的客户经理"), queryset=User.objects.none(),
                                  widget=forms.CheckboxSelectMultiple)
    balance = forms.ChoiceField(label=_("均衡方式"), widget=forms.RadioSelect, initial="count",
                                choices=list(zip(BALANCE_CHOICES, [_("按客户数"), _("按资产（月日均）")], strict=True)))
    reason = forms.CharField(label=_("原因"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"placeholder": _("如：客户经理调岗、离职")}))

    def __init__(self, *args, user, book, **kwargs):
        super().__init__(*args, **kwargs)
        loads = {r["manager"].pk: r for r in book}
        for name in ("from_manager", "to_managers"):
            self.fields[name].queryset = _client_managers(user)
            self.fields[name].loads = loads
        _style(self)

    def clean(self):
        data = super().clean()
        source, targets = data.get("from_manager"), data.get("to_managers") or []
        if source and targets:
            if any(t.pk == source.pk for t in targets):
                self.add_error("to_managers", _("接手的客户经理不能是移交客户的客户经理本人。"))
            elif any(t.unit_id != source.unit_id for t in targets):
                self.add_error("to_managers", _("接手的客户经理必须与移交客户的客户经理在同一理财中心。"))
        return data


class RevealForm(forms.Form):
    field = forms.ChoiceField(label=_("字段"), choices=[(f, f) for f in REVEALABLE_FIELDS])
    reason = forms.CharField(label=_("原因"), min_length=2, max_length=200)



def customer_picker(*, premium: bool = False, own: bool = False) -> SearchPickerWidget:
    """The search-as-you-type customer widget (core.picker) for a ``ModelChoiceField`` of customers; the field's
    queryset must be scoped the same way (``visible_to``, and premium/own when asked)."""
    params = {k: "1" for k, on in (("premium", premium), ("own", own)) if on}
    return SearchPickerWidget("customers:pick", params=params)
