"""Contact pages: the record list and Excel, quick-add (htmx dialog), due/overdue lists, coverage per manager,
and the appointments week view (R26, R27)."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.db_router import ReplicaReadMixin
from wealthdesk.core.htmx import close_modal
from wealthdesk.core.keyset import KeysetListMixin
from wealthdesk.core.roles import CENTER_MANAGEMENT, UPPER_LEVEL, Role
from wealthdesk.core.rollup import breadcrumbs as unit_breadcrumbs
from wealthdesk.core.rollup import unit_in_scope
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import CustomerDataMixin, HtmxTemplateMixin
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.choices import UnitKind

from . import policy, selectors, services
from .exports import contact_export_response
from .forms import AppointmentForm, ContactForm
from .models import Appointment, ContactRecord
from .viewutils import add_service_errors, parse_day

READERS = frozenset({Role.CLIENT_MANAGER, *CENTER_MANAGEMENT})
COVERAGE_READERS = frozenset({*CENTER_MANAGEMENT, *UPPER_LEVEL, Role.AUDITOR})


def _filters(request) -> dict:
    p = request.GET
    return {"kind": p.get("kind", ""), "customer": p.get("customer", ""), "staff": p.get("staff", ""),
            "start": parse_day(p.get("start"), None, name="start"), "end": parse_day(p.get("end"), None, name="end")}


class ContactListView(CustomerDataMixin, HtmxTemplateMixin, KeysetListMixin, ListView):
    """《会面/电话/邮寄客户维护记录表》 as a list, filtered by kind, period and customer."""

    allowed_roles = READERS | COVERAGE_READERS
    template_name = "contacts/contact_list.html"
    partial_template_name = "contacts/_contact_table.html"

    def get_queryset(self):
        return selectors.contact_list(self.request.user, **_filters(self.request))

    def get_context_data(self, **kwargs):
        from .choices import ContactKind

        ctx = super().get_context_data(**kwargs)
        ctx["kinds"] = ContactKind.choices
        ctx["can_add"] = scope_for(self.request.user).has(*services.CONTACT_WRITERS)
        return ctx


class ContactExportView(CustomerDataMixin, View):
    allowed_roles = READERS | COVERAGE_READERS

    def get(self, request):
        f = _filters(request)
        return contact_export_response(request, selectors.contact_list(request.user, **f), f)


class ContactDetailView(CustomerDataMixin, DetailView):
    allowed_roles = READERS | COVERAGE_READERS
    template_name = "contacts/contact_detail.html"
    context_object_name = "record"

    def get_queryset(self):
        return ContactRecord.objects.visible_to(self.request.user).select_related("customer", "staff")

    def get_object(self, queryset=None):
        record = super().get_object(queryset)
        audit_record(actor=self.request.user, action=AuditAction.VIEW, obj=record,
                     unit_id=record.customer.center_id)
        return record


class ContactCreateView(CustomerDataMixin, View):
    """Quick-add a contact: an htmx dialog from the customer page or the workbench, or a plain page."""

    allowed_roles = services.CONTACT_WRITERS

    def _customer(self, request):
        raw = request.GET.get("customer") or request.POST.get("customer")
        if raw and str(raw).isdigit():
            return get_object_or_404(Customer.objects.visible_to(request.user), pk=int(raw))
        return None

    def _render(self, request, form, status=200):
        template = "contacts/_contact_form.html" if request.htmx else "contacts/contact_form_page.html"
        return render(request, template, {"form": form, "action": request.get_full_path()}, status=status)

    def get(self, request):
        customer = self._customer(request)
        initial = {"contacted_at": timezone.localtime().replace(second=0, microsecond=0)}
        return self._render(request, ContactForm(user=request.user, customer=customer, initial=initial))

    def post(self, request):
        customer = self._customer(request) if request.GET.get("customer") else None
        form = ContactForm(request.POST, user=request.user, customer=customer)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            record = services.contact_create(actor=request.user, source=request.GET.get("source", "")[:40],
                                             **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(request, form, status=400)
        if request.htmx:
            return close_modal(_("联系记录已保存。"), "contacts:changed")
        messages.success(request, _("联系记录已保存。"))
        return redirect("contacts:detail", pk=record.pk)


class DueListView(CustomerDataMixin, HtmxTemplateMixin, ListView):
    """R26: overdue contacts, or contacts due this week, per the tier's frequency."""

    allowed_roles = READERS | COVERAGE_READERS
    template_name = "contacts/due_list.html"
    partial_template_name = "contacts/_due_table.html"
    paginate_by = 50

    def get_queryset(self):
        today = timezone.localdate()
        manager = self.request.GET.get("manager", "")
        manager_id = int(manager) if manager.isdigit() else None
        self.months = policy.intervals()
        if self.request.GET.get("which") == "week":
            return selectors.due_soon_customers(self.request.user, today, selectors.due_window_end(today),
                                                manager_id=manager_id, months=self.months)
        return selectors.overdue_customers(self.request.user, today, manager_id=manager_id, months=self.months)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = policy.decorate(ctx["object_list"], self.months)
        ctx["which"] = "week" if self.request.GET.get("which") == "week" else "overdue"
        ctx["today"] = timezone.localdate()
        ctx["can_add"] = scope_for(self.request.user).has(*services.CONTACT_WRITERS)
        return ctx


class CoverageView(ReplicaReadMixin, CustomerDataMixin, TemplateView):
    """R26: each manager's share of policy customers contacted this month, and overdue counts."""

    allowed_roles = COVERAGE_READERS
    template_name = "contacts/coverage.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        root = unit_in_scope(user, self.request.GET.get("unit"))
        ctx.update(today=today, root=root, breadcrumbs=unit_breadcrumbs(user, root))
        if root.kind == UnitKind.CENTER:
            # A center (own, or drilled down to): its client managers, from the summary.
            ctx["rows"] = selectors.coverage_by_manager(user, today, unit=root)
            ctx["coverage_total"] = selectors.coverage_shares(
                {k: sum(r[k] for r in ctx["rows"]) for k in ("total", "met", "overdue")})
        else:
            # Upper levels: the units directly below, each a link that narrows the page to it.
            by_unit = selectors.coverage_by_unit(user, today, unit=root)
            ctx["unit_rows"], ctx["coverage_total"] = by_unit["units"], by_unit["total"]
        return ctx


class AppointmentWeekView(CustomerDataMixin, HtmxTemplateMixin, TemplateView):
    """Planned visits and calls, Monday to Sunday; htmx moves between weeks."""

    allowed_roles = READERS
    template_name = "contacts/appointment_week.html"
    partial_template_name = "contacts/_appointment_week.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        day = parse_day(self.request.GET.get("week"), timezone.localdate(), name="week")
        monday = day - dt.timedelta(days=day.weekday())
        rows = list(selectors.appointments_in_week(self.request.user, monday))
        days = []
        for i in range(7):
            d = monday + dt.timedelta(days=i)
            days.append({"date": d, "items": [a for a in rows if timezone.localtime(a.planned_at).date() == d]})
        ctx.update(monday=monday, days=days, prev_week=monday - dt.timedelta(days=7),
                   next_week=monday + dt.timedelta(days=7), today=timezone.localdate(),
                   can_add=scope_for(self.request.user).has(*services.CONTACT_WRITERS))
        return ctx


class AppointmentCreateView(CustomerDataMixin, View):
    allowed_roles = services.CONTACT_WRITERS

    def _render(self, request, form, status=200):
        template = "contacts/_appointment_form.html" if request.htmx else "contacts/appointment_form_page.html"
        return render(request, template, {"form": form, "action": request.get_full_path()}, status=status)

    def get(self, request):
        initial = {"customer": request.GET.get("customer")}
        return self._render(request, AppointmentForm(user=request.user, initial=initial))

    def post(self, request):
        form = AppointmentForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            services.appointment_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(request, form, status=400)
        if request.htmx:
            return close_modal(_("预约已保存。"), "appointments:changed")
        messages.success(request, _("预约已保存。"))
        return redirect("contacts:appointments")


class AppointmentDoneView(CustomerDataMixin, View):
    """Marking an appointment done opens the contact form pre-filled; saving links the new contact."""

    allowed_roles = services.CONTACT_WRITERS

    def _appointment(self, request, pk):
        return get_object_or_404(Appointment.objects.visible_to(request.user).select_related("customer"), pk=pk)

    def _render(self, request, form, appt, status=200):
        template = "contacts/_contact_form.html" if request.htmx else "contacts/contact_form_page.html"
        return render(request, template, {"form": form, "action": request.get_full_path(), "appointment": appt},
                      status=status)

    def get(self, request, pk):
        appt = self._appointment(request, pk)
        initial = {"kind": appt.kind, "place": appt.place, "purpose": appt.purpose,
                   "contacted_at": timezone.localtime(min(appt.planned_at, timezone.now())).replace(second=0)}
        return self._render(request, ContactForm(user=request.user, customer=appt.customer, initial=initial), appt)

    def post(self, request, pk):
        appt = self._appointment(request, pk)
        form = ContactForm(request.POST, user=request.user, customer=appt.customer)
        if not form.is_valid():
            return self._render(request, form, appt, status=400)
        data = {k: v for k, v in form.cleaned_data.items() if k != "customer"}
        try:
            services.appointment_complete(actor=request.user, appointment=appt, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(request, form, appt, status=400)
        if request.htmx:
            return close_modal(_("预约已完成，联系记录已保存。"), "appointments:changed", "contacts:changed")
        messages.success(request, _("预约已完成，联系记录已保存。"))
        return redirect("contacts:appointments")


class AppointmentCancelView(CustomerDataMixin, View):
    allowed_roles = services.CONTACT_WRITERS

    def post(self, request, pk):
        appt = get_object_or_404(Appointment.objects.visible_to(request.user).select_related("customer"), pk=pk)
        try:
            services.appointment_cancel(actor=request.user, appointment=appt)
        except ValidationError as exc:
            messages.error(request, "；".join(sum(exc.message_dict.values(), [])))
        return redirect("contacts:appointments")
