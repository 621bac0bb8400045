"""Customer forms: entry by the archive keeper / center head (R29) and the reveal request (R28)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.picker import SearchPickerWidget
from wealthdesk.core.widgets import DateInput
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from .models import Customer
from .services import REVEALABLE_FIELDS


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
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class RevealForm(forms.Form):
    field = forms.ChoiceField(label=_("字段"), choices=[(f, f) for f in REVEALABLE_FIELDS])
    reason = forms.CharField(label=_("原因"), min_length=2, max_length=200)



def customer_picker(*, premium: bool = False, own: bool = False) -> SearchPickerWidget:
    """The search-as-you-type customer widget (core.picker) for a ``ModelChoiceField`` of customers; the field's
    queryset must be scoped the same way (``visible_to``, and premium/own when asked)."""
    params = {k: "1" for k, on in (("premium", premium), ("own", own)) if on}
    return SearchPickerWidget("customers:pick", params=params)
