"""Customer pages: the scoped list (htmx table refresh), the masked detail, entry, and the audited reveal."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.masking import mask_mobile
from wealthdesk.core.picker import SearchPickerView
from wealthdesk.core.roles import Reach, Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import CustomerDataMixin, HtmxTemplateMixin
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import selectors, services
from .choices import Tier
from .forms import CustomerForm, RevealForm
from .models import Customer


class CustomerListView(CustomerDataMixin, HtmxTemplateMixin, ListView):
    template_name = "customers/customer_list.html"
    partial_template_name = "customers/_customer_table.html"
    paginate_by = 25

    def get_queryset(self):
        p = self.request.GET
        return selectors.customer_list(self.request.user, tier=p.get("tier", ""),
                                       client_manager=p.get("client_manager", ""), unit=p.get("unit", ""),
                                       q=p.get("q", ""), sort=p.get("sort", ""))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["tiers"] = Tier.choices
        scope = scope_for(user)
        ctx["managers"], ctx["units"] = [], []
        if scope.reach >= Reach.TEAM and user.unit and user.unit.kind == UnitKind.CENTER:
            ctx["managers"] = User.objects.visible_to(user).with_role(Role.CLIENT_MANAGER).order_by("full_name")
        elif scope.reach >= Reach.SUBTREE and user.unit:
            ctx["units"] = OrgUnit.objects.filter(path__startswith=scope.unit_path,
                                                  depth__gt=user.unit.depth, depth__lte=user.unit.depth + 2)
        ctx["can_create"] = scope_for(user).has(*services.CUSTOMER_WRITERS)
        return ctx


class CustomerPickView(CustomerDataMixin, SearchPickerView):
    """The customer picker's endpoint: names as in the customer list, mobiles masked, at most 20 rows.
    ``?premium=1`` keeps premium tiers only; ``?own=1`` the user's own book (the forms that validate so)."""

    def search(self, request, q, limit):
        return selectors.customer_pick(request.user, q, limit=limit, premium=request.GET.get("premium") == "1",
                                       own=request.GET.get("own") == "1")

    def result(self, obj):
        return {"id": obj.pk, "label": str(obj),  # as the form shows a chosen customer: 张伟（C000000001）
                "detail": " · ".join(x for x in (mask_mobile(obj.mobile), obj.get_tier_display()) if x)}


class CustomerDetailView(CustomerDataMixin, DetailView):
    template_name = "customers/customer_detail.html"
    context_object_name = "customer"

    def get_queryset(self):
        return Customer.objects.visible_to(self.request.user).select_related("client_manager", "center")

    def get_object(self, queryset=None):
        customer = super().get_object(queryset)
        audit_record(actor=self.request.user, action=AuditAction.VIEW, obj=customer)
        return customer

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        customer = self.object
        scope = scope_for(self.request.user)
        ctx["tier_history"] = customer.tier_history.all()[:20]
        ctx["can_reveal"] = services.can_reveal(self.request.user, customer)
        ctx["show_viewers"] = scope.has(Role.CENTER_HEAD, Role.AUDITOR)
        if ctx["show_viewers"]:
            ctx["viewers"] = selectors.recent_viewers(customer)
        from wealthdesk.core.registry import panels_for

        self.request.wd_customer = customer
        ctx["panels"] = panels_for(self.request, "customer")
        return ctx


class CustomerCreateView(CustomerDataMixin, FormView):
    template_name = "customers/customer_form.html"
    form_class = CustomerForm
    allowed_roles = services.CUSTOMER_WRITERS

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            customer = services.customer_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("客户已保存。"))
        return redirect("customers:detail", pk=customer.pk)


class CustomerRevealView(CustomerDataMixin, View):
    """POST field + reason → the clear value as an htmx fragment; audited (R28)."""

    def post(self, request, pk):
        customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
        form = RevealForm(request.POST)
        if not form.is_valid():
            return HttpResponse(
                '<span class="text-danger small" role="alert">' + escape(_("请填写查看明文的原因。")) + "</span>",
                status=400,
            )
        try:
            value = services.customer_reveal(actor=request.user, customer=customer, **form.cleaned_data)
        except PermissionDenied as exc:
            return HttpResponse(f'<span class="text-danger small">{escape(str(exc))}</span>', status=403)
        return render(request, "customers/_revealed.html", {"value": value, "field": form.cleaned_data["field"]})
