"""Customer pages: the scoped list (htmx table refresh), the masked detail, entry, and the audited reveal."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.keyset import KeysetListMixin
from wealthdesk.core.masking import mask_mobile
from wealthdesk.core.picker import SearchPickerView
from wealthdesk.core.reveal import RevealCapReached
from wealthdesk.core.roles import Reach, Role
from wealthdesk.core.scoping import scope_for, sees_balances
from wealthdesk.core.views import CustomerDataMixin, HtmxTemplateMixin
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import selectors, services
from .choices import Tier
from .forms import BulkReassignForm, CustomerEditForm, CustomerForm, ReassignForm, RevealForm
from .models import Customer


class CustomerListView(CustomerDataMixin, HtmxTemplateMixin, KeysetListMixin, ListView):
    """Keyset pages in every sort order offered (core.keyset): page 200 costs what page 1 costs."""

    template_name = "customers/customer_list.html"
    partial_template_name = "customers/_customer_table.html"

    def get_queryset(self):
        p = self.request.GET
        sort = p.get("sort", "") if sees_balances(self.request.user) else (p.get("sort") or "cif").replace("aum", "cif")
        return selectors.customer_list(self.request.user, tier=p.get("tier", ""),
                                       client_manager=p.get("client_manager", ""), unit=p.get("unit", ""),
                                       q=p.get("q", ""), sort=sort)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["show_balances"] = sees_balances(self.request.user)
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
        ctx["can_reassign"] = services.can_reassign(user)
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
        ctx["show_balances"] = sees_balances(self.request.user)
        customer = self.object
        scope = scope_for(self.request.user)
        ctx["tier_history"] = customer.tier_history.all()[:20]
        ctx["manager_history"] = selectors.manager_history(customer)
        ctx["can_edit"] = bool(services.editable_fields(self.request.user, customer))
        ctx["can_reassign"] = services.can_reassign(self.request.user)
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
        except RevealCapReached as exc:
            return HttpResponse(f'<span class="text-danger small" role="alert">{escape(str(exc))}</span>', status=429)
        return render(request, "customers/_revealed.html", {"value": value, "field": form.cleaned_data["field"]})


def _errors_into(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _visible_customer(request, pk) -> Customer:
    return get_object_or_404(Customer.objects.visible_to(request.user).select_related("client_manager", "center"),
                             pk=pk)


class CustomerEditView(CustomerDataMixin, View):
    """Upkeep of master data (who may change what: ``services.editable_fields``); versioned — a stale save is
    refused with a message (status 409) and nothing is changed."""

    allowed_roles = services.CUSTOMER_EDITORS
    template_name = "customers/customer_edit.html"

    def _customer(self, request, pk):
        customer = _visible_customer(request, pk)
        if not services.editable_fields(request.user, customer):
            raise PermissionDenied(_("您无权修改该客户的资料。"))
        return customer

    def _render(self, request, customer, form, status=200):
        return render(request, self.template_name, {"customer": customer, "form": form}, status=status)

    def get(self, request, pk):
        customer = self._customer(request, pk)
        return self._render(request, customer, CustomerEditForm(instance=customer, user=request.user))

    def post(self, request, pk):
        customer = self._customer(request, pk)
        form = CustomerEditForm(request.POST, instance=customer, user=request.user)
        if not form.is_valid():
            return self._render(request, customer, form, status=400)
        try:
            services.customer_update(actor=request.user, customer=customer, version=form.cleaned_data["version"],
                                     **form.changes())
        except ValidationError as exc:
            _errors_into(form, exc)
            return self._render(request, customer, form, status=409 if "version" in exc.message_dict else 400)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self._render(request, customer, form, status=403)
        messages.success(request, _("客户资料已保存。"))
        return redirect("customers:detail", pk=customer.pk)


class CustomerReassignView(CustomerDataMixin, View):
    """One customer to another client manager of the same center (R3); the form flags overloaded managers."""

    allowed_roles = services.CUSTOMER_MANAGERS
    template_name = "customers/customer_reassign.html"

    def _render(self, request, customer, form, book, status=200):
        return render(request, self.template_name, {"customer": customer, "form": form, "book": book},
                      status=status)

    def get(self, request, pk):
        customer = _visible_customer(request, pk)
        book = selectors.manager_book(request.user, center_id=customer.center_id)
        return self._render(request, customer, ReassignForm(user=request.user, customer=customer, book=book), book)

    def post(self, request, pk):
        customer = _visible_customer(request, pk)
        book = selectors.manager_book(request.user, center_id=customer.center_id)
        form = ReassignForm(request.POST, user=request.user, customer=customer, book=book)
        if not form.is_valid():
            return self._render(request, customer, form, book, status=400)
        target = form.cleaned_data["to_manager"]
        try:
            services.customer_reassign(actor=request.user, customer=customer, to_manager=target,
                                       reason=form.cleaned_data["reason"], version=form.cleaned_data["version"])
        except ValidationError as exc:
            _errors_into(form, exc)
            return self._render(request, customer, form, book, status=409 if "version" in exc.message_dict else 400)
        messages.success(request, _("客户已移交给 %(name)s。") % {"name": target})
        _warn_overload(request, [target])
        return redirect("customers:detail", pk=customer.pk)


def _warn_overload(request, managers) -> None:
    loads = services.manager_loads(managers)
    from wealthdesk.core.params import get_param

    ceiling = int(get_param("cm.max_customers"))
    for m in managers:
        if loads.get(m.pk, 0) > ceiling:
            messages.warning(request, _("%(name)s 现有优质客户 %(n)s 名，已超过上限 %(max)s 名。")
                             % {"name": m, "n": loads[m.pk], "max": ceiling})


class BulkReassignView(CustomerDataMixin, TemplateView):
    """A leaving client manager's book to one or several others: choose by tier, balance by count or AUM,
    preview the plan (with each receiver's resulting book against the ceiling), then confirm."""

    allowed_roles = services.CUSTOMER_MANAGERS
    template_name = "customers/bulk_reassign.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("book", selectors.manager_book(self.request.user))
        ctx.setdefault("form", BulkReassignForm(user=self.request.user, book=ctx["book"],
                                                initial=self._initial()))
        return ctx

    def _initial(self):
        raw = self.request.GET.get("from_manager", "")
        return {"from_manager": int(raw)} if raw.isdigit() else {}

    def post(self, request):
        book = selectors.manager_book(request.user)
        form = BulkReassignForm(request.POST, user=request.user, book=book)
        ctx = {"book": book, "form": form}
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**ctx), status=400)
        d = form.cleaned_data
        targets = list(d["to_managers"])
        if request.POST.get("confirm") != "1":
            candidates = services.bulk_candidates(request.user, d["from_manager"], d["tiers"])
            if not candidates:
                form.add_error("tiers", _("该客户经理名下没有所选级别的客户。"))
                return self.render_to_response(self.get_context_data(**ctx), status=400)
            plan = services.plan_reassignment(candidates, targets, balance=d["balance"],
                                              loads=services.manager_loads(targets))
            rows = {r["manager"].pk: r for r in book}
            ctx["preview"] = [{"manager": t, "customers": plan[t.pk], "n": len(plan[t.pk]),
                               "aum": sum((c.aum_avg for c in plan[t.pk]), 0),
                               "after": rows.get(t.pk, {}).get("premium", 0)
                               + sum(1 for c in plan[t.pk] if c.is_premium),
                               "max": rows.get(t.pk, {}).get("max", 0)} for t in targets]
            ctx["total"] = len(candidates)
            return self.render_to_response(self.get_context_data(**ctx))
        try:
            plan = services.customers_reassign_bulk(actor=request.user, from_manager=d["from_manager"],
                                                    to_managers=targets, tiers=d["tiers"], balance=d["balance"],
                                                    reason=d["reason"])
        except ValidationError as exc:
            _errors_into(form, exc)
            return self.render_to_response(self.get_context_data(**ctx), status=400)
        n = sum(len(g) for g in plan.values())
        messages.success(request, _("已将 %(from)s 的 %(n)s 名客户移交给 %(to)s。") % {
            "from": d["from_manager"], "n": n, "to": "、".join(str(t) for t in targets if t.pk in plan)})
        _warn_overload(request, targets)
        return redirect(f"{reverse('customers:list')}?client_manager={d['from_manager'].pk}")
