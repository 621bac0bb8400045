"""Forms for the contact record (R27) and appointments; customer choices come from the author's scope."""
from django import forms
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.dates import SaneDateField, SaneDateTimeField
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.widgets import DateInput, DateTimeInput
from wealthdesk.customers.forms import customer_picker
from wealthdesk.customers.models import Customer

from .choices import ContactKind


def _customers_for(user):
    qs = Customer.objects.visible_to(user).premium().only("id", "name", "cif_no").order_by("name")
    if scope_for(user).has(Role.CLIENT_MANAGER):
        qs = qs.filter(client_manager=user)
    return qs


def _picker(user):
    """The search-as-you-type picker over the same customers ``_customers_for`` accepts."""
    return customer_picker(premium=True, own=scope_for(user).has(Role.CLIENT_MANAGER))


class _Styled(forms.Form):
    def _style(self):
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ContactForm(_Styled):
    customer = forms.ModelChoiceField(label=_("客户"), queryset=Customer.objects.none())
    kind = forms.ChoiceField(label=_("联系方式"), choices=ContactKind.choices, widget=forms.RadioSelect,
                             initial=ContactKind.PHONE)
    contacted_at = SaneDateTimeField(label=_("联系时间"), widget=DateTimeInput())
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    purpose = forms.CharField(label=_("目的"), max_length=200, required=False)
    content = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    response = forms.CharField(label=_("客户反馈"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label=_("下一步"), max_length=200, required=False)
    next_contact_on = SaneDateField(label=_("下次联系日期"), required=False, widget=DateInput())

    def __init__(self, *args, user, customer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if customer is not None:
            self.fields["customer"].queryset = Customer.objects.visible_to(user).filter(pk=customer.pk)
            self.fields["customer"].initial = customer.pk
            self.fields["customer"].widget = forms.HiddenInput()
            self.fixed_customer = customer
        else:
            self.fields["customer"].widget = _picker(user)  # before the queryset: it hands the widget its choices
            self.fields["customer"].queryset = _customers_for(user)
            self.fixed_customer = None
        self._style()


class AppointmentForm(_Styled):
    customer = forms.ModelChoiceField(label=_("客户"), queryset=Customer.objects.none())
    kind = forms.ChoiceField(label=_("方式"), choices=ContactKind.choices, initial=ContactKind.MEETING)
    planned_at = SaneDateTimeField(label=_("预约时间"), widget=DateTimeInput())
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    purpose = forms.CharField(label=_("目的"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].widget = _picker(user)
        self.fields["customer"].queryset = _customers_for(user)
        self._style()
