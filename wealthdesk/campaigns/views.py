"""Pages of targeted campaigns (R25, R39): the list with the yearly quota, the plan form, the detail with its
workflow, feedback and evaluation, the call list (and its export) and the quota roll-up."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from wealthdesk.contacts.viewutils import add_service_errors
from wealthdesk.core.exports import export_response, filters_from
from wealthdesk.core.masking import mask_mobile, name_masker
from wealthdesk.core.roles import CENTER_MANAGEMENT, Role
from wealthdesk.core.rollup import breadcrumbs, unit_in_scope
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import CustomerDataMixin
from wealthdesk.orgs.choices import UnitKind

from . import selectors, services
from .choices import CallStatus, CampaignStatus, Scale
from .forms import CallForm, CampaignForm, EvaluateForm, FeedbackForm, ReturnForm
from .models import CampaignMember

UPPER_READERS = frozenset({Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE})
READERS = frozenset({Role.CLIENT_MANAGER, *CENTER_MANAGEMENT, *UPPER_READERS})
QUOTA_READERS = frozenset({*CENTER_MANAGEMENT, *UPPER_READERS})
PLANNERS = services.PLANNERS
ACTIONS = {
    "submit": services.campaign_submit, "approve": services.campaign_approve, "start": services.campaign_start,
    "end": services.campaign_end,
}


def _error_text(exc: ValidationError) -> str:
    return "；".join(str(m) for msgs in exc.message_dict.values() for m in msgs)


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1900 <= year <= 2100 else None


class CampaignListView(CustomerDataMixin, ListView):
    allowed_roles = READERS
    template_name = "campaigns/campaign_list.html"
    paginate_by = 25

    def get_queryset(self):
        p = self.request.GET
        return selectors.campaign_list(self.request.user, status=p.get("status", ""), scale=p.get("scale", ""),
                                       year=_year(p.get("year")))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        unit = user.unit
        ctx.update(statuses=CampaignStatus.choices, scales=Scale.choices,
                   can_plan=scope_for(user).has(*PLANNERS) and unit is not None and unit.kind == UnitKind.CENTER,
                   quota=selectors.center_quota(unit.pk) if unit is not None and unit.kind == UnitKind.CENTER
                   and scope_for(user).has(*QUOTA_READERS) else None,
                   sees_quota=scope_for(user).has(*QUOTA_READERS))
        return ctx


class CampaignCreateView(CustomerDataMixin, View):
    allowed_roles = PLANNERS

    def get(self, request):
        today = timezone.localdate()
        form = CampaignForm(user=request.user, initial={"scale": Scale.SMALL, "starts_on": today,
                                                        "ends_on": today + dt.timedelta(days=30)})
        return render(request, "campaigns/campaign_form.html", {"form": form})

    def post(self, request):
        form = CampaignForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                campaign = services.campaign_create(actor=request.user, plan=form.plan(), segment=form.segment(),
                                                    staff=form.cleaned_data["staff"],
                                                    reports=form.cleaned_data["reports"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("营销活动计划已保存为草稿。"))
                return redirect("campaigns:detail", pk=campaign.pk)
        return render(request, "campaigns/campaign_form.html", {"form": form}, status=400)


class CampaignEditView(CustomerDataMixin, View):
    allowed_roles = PLANNERS

    def get(self, request, pk):
        campaign = selectors.campaign_get(request.user, pk)
        form = CampaignForm(user=request.user, initial=CampaignForm.initial_from(campaign))
        return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})

    def post(self, request, pk):
        campaign = selectors.campaign_get(request.user, pk)
        form = CampaignForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.campaign_update(actor=request.user, campaign=campaign, plan=form.plan(),
                                         segment=form.segment(), staff=form.cleaned_data["staff"],
                                         reports=form.cleaned_data["reports"], version=form.cleaned_data["version"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("campaigns:detail", pk=campaign.pk)
        return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign}, status=400)


class CampaignDetailView(CustomerDataMixin, TemplateView):
    allowed_roles = READERS
    template_name = "campaigns/campaign_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = selectors.campaign_get(user, kwargs["pk"])
        scope = scope_for(user)
        is_head = scope.has(Role.CENTER_HEAD) and user.unit_id == campaign.center_id
        is_planner = scope.has(*PLANNERS) and user.unit_id == campaign.center_id
        members = CampaignMember.objects.visible_to(user).filter(campaign=campaign)
        ctx.update(
            campaign=campaign, segment=campaign.segment, is_head=is_head, is_planner=is_planner,
            segment_size=selectors.segment_size(user, campaign.segment),
            staff=list(campaign.staff.order_by("full_name")), reports=list(campaign.reports.select_related("unit")),
            member_total=members.filter(is_holdout=False).count(), holdout_total=members.filter(is_holdout=True).count(),
            my_pending=members.filter(client_manager_id=user.pk, is_holdout=False,
                                      call_status=CallStatus.PENDING).count(),
            live=selectors.compute_results(campaign) if campaign.status == CampaignStatus.RUNNING and is_head else None,
            results=campaign.results or None,
            return_form=ReturnForm(), feedback_form=kwargs.get("feedback_form") or FeedbackForm(initial={
                "spent": campaign.spent, "staffing_note": campaign.staffing_note, "lessons": campaign.lessons,
                "version": campaign.version}),
            evaluate_form=kwargs.get("evaluate_form") or EvaluateForm(initial={"version": campaign.version}),
            statuses=CampaignStatus,
        )
        return ctx


class CampaignActionView(CustomerDataMixin, View):
    """submit / approve / return / start / end, from the detail page's buttons (state checked under lock)."""

    allowed_roles = PLANNERS

    def post(self, request, pk, action):
        campaign = selectors.campaign_get(request.user, pk)
        version = request.POST.get("version")
        try:
            if action == "return":
                form = ReturnForm(request.POST)
                services.campaign_return(actor=request.user, campaign=campaign,
                                         reason=form.data.get("reason", ""), version=version)
            elif action == "start":
                job = services.campaign_start_request(actor=request.user, campaign=campaign, version=version)
                if job is not None:
                    messages.info(request, _("客户较多，客户名单正在后台生成，可离开本页稍后再来查看。"))
                    return redirect("jobs:detail", pk=job.pk)
            elif action in ACTIONS:
                ACTIONS[action](actor=request.user, campaign=campaign, version=version)
            else:
                raise PermissionDenied(_("未知操作。"))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("活动状态：%(status)s。") % {"status": campaign.get_status_display()})
        return redirect("campaigns:detail", pk=campaign.pk)


class _HeadFormView(CustomerDataMixin, View):
    allowed_roles = frozenset({Role.CENTER_HEAD})
    form_class = FeedbackForm
    context_key = "feedback_form"

    def save(self, request, campaign, data):  # pragma: no cover - each subclass says what it saves
        raise NotImplementedError

    def post(self, request, pk):
        campaign = selectors.campaign_get(request.user, pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(request, campaign, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("campaigns:detail", pk=campaign.pk)
        view = CampaignDetailView()
        view.setup(request, pk=pk)
        ctx = view.get_context_data(pk=pk, **{self.context_key: form})
        return render(request, CampaignDetailView.template_name, ctx, status=400)


class CampaignFeedbackView(_HeadFormView):
    def save(self, request, campaign, data):
        services.campaign_feedback(actor=request.user, campaign=campaign, spent=data["spent"],
                                   staffing_note=data["staffing_note"], lessons=data["lessons"],
                                   version=data["version"])


class CampaignEvaluateView(_HeadFormView):
    form_class = EvaluateForm
    context_key = "evaluate_form"

    def save(self, request, campaign, data):
        services.campaign_evaluate(actor=request.user, campaign=campaign, grade=data["grade"],
                                   evaluation=data["evaluation"], version=data["version"])


class MemberListView(CustomerDataMixin, ListView):
    """The call list: a client manager sees their own customers; the head the whole list with the holdout."""

    allowed_roles = READERS
    template_name = "campaigns/member_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.campaign = selectors.campaign_get(self.request.user, self.kwargs["pk"])
        p = self.request.GET
        status = p.get("status", "")
        return selectors.member_list(self.request.user, self.campaign,
                                     status=status if status in CallStatus.values else "",
                                     mine=p.get("mine") == "1", holdout=p.get("holdout", ""))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(campaign=self.campaign, call_statuses=CallStatus.choices,
                   can_call=self.campaign.status == CampaignStatus.RUNNING
                   and scope_for(self.request.user).has(*services.CALLERS), today=timezone.localdate())
        return ctx


class MemberExportView(CustomerDataMixin, View):
    """The call list as .xlsx/.csv through the one export mechanism (masked mobile, names by the one rule)."""

    allowed_roles = READERS

    def get(self, request, pk):
        campaign = selectors.campaign_get(request.user, pk)
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        qs = selectors.member_list(request.user, campaign, mine=request.GET.get("mine") == "1")
        name = name_masker(request.user)

        def rows():
            for m in qs.iterator(chunk_size=2000):
                yield [m.customer.cif_no, name(m.customer.name), m.customer.get_tier_display(),
                       mask_mobile(m.customer.mobile), str(m.client_manager or ""),
                       _("是") if m.is_holdout else _("否"), m.get_call_status_display(),
                       m.contacted_at.date().isoformat() if m.contacted_at else "",
                       _("是") if m.invited else _("否"), _("是") if m.attended else _("否")]

        return export_response(
            user=request.user, title=_("《定向营销活动客户名单》"),
            headers=[_("客户号"), _("姓名"), _("客户级别"), _("手机号"), _("客户经理"), _("对照组（不联系）"),
                     _("联系结果"), _("联系日期"), _("已邀请"), _("已到场")],
            rows=rows(), filename=f"campaign-{campaign.pk}-members.{fmt}", fmt=fmt, unit=campaign.center.name,
            period=f"{campaign.starts_on:%Y-%m-%d} — {campaign.ends_on:%Y-%m-%d}", filters=filters_from(request.GET),
            footer=str(campaign), audit_obj=campaign, audit_unit_id=campaign.center_id, customer_data=True)


class MemberCallView(CustomerDataMixin, View):
    """Record one call of the list (a contact record through the contacts app)."""

    allowed_roles = services.CALLERS

    def _member(self, request, pk):
        return get_object_or_404(CampaignMember.objects.visible_to(request.user)
                                 .select_related("campaign", "customer"), pk=pk)

    def get(self, request, pk):
        member = self._member(request, pk)
        return render(request, "campaigns/call_form.html", {"member": member, "form": CallForm()})

    def post(self, request, pk):
        member = self._member(request, pk)
        form = CallForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.member_call(actor=request.user, member=member, outcome=d["outcome"], kind=d["kind"],
                                     content=d["content"], response=d["response"], next_step=d["next_step"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已登记联系：%(name)s。") % {"name": member.customer.name})
                return redirect(f"{redirect('campaigns:members', pk=member.campaign_id).url}?mine=1")
        return render(request, "campaigns/call_form.html", {"member": member, "form": form}, status=400)


class MemberInviteView(CustomerDataMixin, View):
    allowed_roles = services.CALLERS

    def post(self, request, pk):
        member = get_object_or_404(CampaignMember.objects.visible_to(request.user).select_related("campaign"), pk=pk)
        invited = request.POST.get("invited") == "1"
        attended = request.POST.get("attended") == "1"
        try:
            services.member_invite(actor=request.user, member=member, invited=invited or attended, attended=attended)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("已保存。"))
        return redirect("campaigns:members", pk=member.campaign_id)


class QuotaView(CustomerDataMixin, TemplateView):
    """The yearly quota (R25) under the user's unit, rolled up (``core.rollup``), with the centers short of it."""

    allowed_roles = QUOTA_READERS
    template_name = "campaigns/quota.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.request.user.unit is None:
            raise PermissionDenied(_("您没有所属机构。"))
        # Drill-down by level (issue 16): ``?unit=`` a unit of the user's subtree; anything else is a 404.
        unit = unit_in_scope(self.request.user, self.request.GET.get("unit"))
        ctx.update(board=selectors.quota_board(self.request.user, unit), root=unit,
                   crumbs=breadcrumbs(self.request.user, unit))
        return ctx
