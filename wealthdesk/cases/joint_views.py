"""Pages of the private-banking joint service (R5): the joint teams, one team with its shared plan, setting up a
team (head office), adding a plan entry and recording its outcome."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from wealthdesk.contacts.viewutils import add_service_errors
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.masking import name_masker
from wealthdesk.core.views import CustomerDataMixin
from wealthdesk.customers.models import Customer
from wealthdesk.staff.models import User

from . import joint, selectors
from .forms import JointTeamForm, PlanItemForm, PlanOutcomeForm
from .models import JointPlanItem, JointTeam


class JointListView(CustomerDataMixin, ListView):
    template_name = "cases/joint_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.joint_teams(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        mask = name_masker(self.request.user)
        for team in ctx["object_list"]:
            team.masked_name = mask(team.customer.name)
        ctx["can_create"] = self.request.user.role_codes & joint.TEAM_KEEPERS
        return ctx


def _team(request, pk) -> JointTeam:
    return get_object_or_404(selectors.joint_teams(request.user), pk=pk)


def render_team(request, team: JointTeam, forms=None, status=200):
    forms = forms or {}
    items = list(selectors.plan_items(request.user, team))
    contacts = list(selectors.joint_contacts(request.user, team)[:10])
    ctx = {"team": team, "items": items, "contacts": contacts, "customer_name": name_masker(request.user)(team.customer.name),
           "item_form": forms.get("item") or PlanItemForm(), "outcome_form": forms.get("outcome") or PlanOutcomeForm(),
           "outcome_item": forms.get("outcome_item"),
           "errors": [str(m) for f in forms.values() if hasattr(f, "errors") for msgs in f.errors.values()
                      for m in msgs]}
    audit_record(actor=request.user, action=AuditAction.VIEW, obj=team.customer, detail={"joint_team": team.pk})
    return render(request, "cases/joint_detail.html", ctx, status=status)


class JointDetailView(CustomerDataMixin, View):
    def get(self, request, pk):
        return render_team(request, _team(request, pk))


class JointCreateView(CustomerDataMixin, View):
    allowed_roles = joint.TEAM_KEEPERS

    def get(self, request):
        return render(request, "cases/joint_form.html", {"form": JointTeamForm(managers=joint.hq_managers())})

    def post(self, request):
        form = JointTeamForm(request.POST, managers=joint.hq_managers())
        if form.is_valid():
            d = form.cleaned_data
            customer = Customer.objects.visible_to(request.user).filter(cif_no=d["customer"].strip()).first()
            if customer is None:
                form.add_error("customer", _("找不到该客户号的客户。"))
            else:
                try:
                    team = joint.joint_team_create(actor=request.user, customer=customer,
                                                   hq_manager=User.objects.filter(pk=d["hq_manager"]).first(),
                                                   note=d["note"])
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("联合服务团队已设立。"))
                    return redirect("cases:joint", pk=team.pk)
        return render(request, "cases/joint_form.html", {"form": form}, status=400)


class PlanItemAddView(CustomerDataMixin, View):
    def post(self, request, pk):
        team = _team(request, pk)
        form = PlanItemForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                joint.plan_item_add(actor=request.user, team=team, kind=d["kind"], title=d["title"],
                                    planned_on=d["planned_on"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已加入联合服务计划。"))
                return redirect("cases:joint", pk=team.pk)
        return render_team(request, team, {"item": form}, status=400)


class PlanOutcomeView(CustomerDataMixin, View):
    def post(self, request, pk, item_pk):
        team = _team(request, pk)
        item = get_object_or_404(JointPlanItem.objects.visible_to(request.user).filter(team=team), pk=item_pk)
        form = PlanOutcomeForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                joint.plan_item_record(actor=request.user, item=item, held_on=d["held_on"], outcome=d["outcome"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已记录结果。"))
                return redirect("cases:joint", pk=team.pk)
        return render_team(request, team, {"outcome": form, "outcome_item": item.pk}, status=400)
