"""Referral pages: the counter form with the narrow lookup, the list / inbox, the detail with the follow-up
actions, the statistics with roll-up, trend and Excel export, and the center's assignment rule (R16, R17)."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.dates import parse_date_param
from wealthdesk.core.db_router import ReplicaReadMixin
from wealthdesk.core.roles import Reach
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import HtmxTemplateMixin, RoleRequiredMixin
from wealthdesk.orgs.models import OrgUnit

from . import exports, selectors, services
from .choices import ReferralStatus
from .forms import ContactForm, ConvertForm, InvalidForm, LookupForm, ReferralForm, RuleForm
from .models import Referral
from .roles import FOLLOWERS, READERS, REFERRERS, SETTING_EDITORS, STATS_ROLES


class ReferralPageMixin(RoleRequiredMixin):
    """Role gate; staff with a reach into customers must also have accepted the agreement (R28)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and scope_for(request.user).reach >= Reach.OWN \
                and not request.user.has_accepted_agreement():
            return redirect(f"/staff/agreement/?next={request.get_full_path()}")
        return super().dispatch(request, *args, **kwargs)


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ReferralCreateView(ReferralPageMixin, TemplateView):
    """《推介优质客户信息记录表》 at the counter: find by exact ID number / mobile, or a new prospect (R16)."""

    allowed_roles = REFERRERS
    template_name = "referrals/referral_form.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.setdefault("form", ReferralForm(centers=services.referral_centers(user)))
        ctx["recent"] = Referral.objects.visible_to(user).filter(referrer=user).select_related("assigned_to") \
            .order_by("-id")[:5]
        from .panels import front_panel

        ctx["mine"] = front_panel(self.request)["counts"]
        return ctx

    def post(self, request):
        form = ReferralForm(request.POST, centers=services.referral_centers(request.user))
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                referral = services.referral_create(actor=request.user, **data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("推介已提交（编号 %(id)s），跟进客户经理：%(cm)s，跟进截止 %(due)s。") % {
                    "id": referral.pk, "cm": referral.assigned_to, "due": f"{referral.due_on:%Y-%m-%d}"})
                return redirect("referrals:create")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ReferralLookupView(ReferralPageMixin, View):
    """htmx: "found" + masked name, or "not found — enter as a new prospect". Nothing else (R28)."""

    allowed_roles = REFERRERS

    def post(self, request):
        form = LookupForm(request.POST)
        if not form.is_valid():
            return render(request, "referrals/_lookup_result.html",
                          {"error": _("请选择查找方式并输入完整的身份证号码或手机号。")}, status=400)
        try:
            result = services.referral_lookup(actor=request.user, kind=form.cleaned_data["lookup_kind"],
                                              value=form.cleaned_data["lookup_value"])
        except ValidationError as exc:
            return render(request, "referrals/_lookup_result.html",
                          {"error": " ".join(m for msgs in exc.message_dict.values() for m in msgs)}, status=400)
        return render(request, "referrals/_lookup_result.html", {"result": result})


class ReferralListView(ReferralPageMixin, HtmxTemplateMixin, ListView):
    """Referrer: my referrals and their outcome; client manager: my inbox; head: the center's (overdue flagged)."""

    allowed_roles = READERS
    template_name = "referrals/referral_list.html"
    partial_template_name = "referrals/_referral_table.html"
    paginate_by = 25

    def get_queryset(self):
        p = self.request.GET
        return selectors.referral_list(self.request.user, status=p.get("status", ""),
                                       overdue=p.get("overdue") == "1", today=timezone.localdate(),
                                       assigned_to=p.get("assigned_to", ""))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = scope_for(self.request.user)
        ctx["referrer_view"] = scope.reach == Reach.NONE
        names = selectors.visible_customer_names(self.request.user, ctx["object_list"])
        for r in ctx["object_list"]:  # the customer list's rule: names in full for customers the user may see
            r.customer_display = names.get(r.customer_id) or r.customer_label
        ctx["statuses"] = ReferralStatus.choices
        ctx["today"] = timezone.localdate()
        ctx["can_refer"] = scope.has(*REFERRERS)
        ctx["can_stats"] = scope.has(*STATS_ROLES)
        ctx["can_rule"] = scope.has(*SETTING_EDITORS)
        return ctx


class ReferralDetailView(ReferralPageMixin, TemplateView):
    allowed_roles = READERS
    template_name = "referrals/referral_detail.html"

    def get_referral(self, pk) -> Referral:
        qs = Referral.objects.visible_to(self.request.user).select_related(
            "referrer", "assigned_to", "center", "referrer_unit", "customer")
        return get_object_or_404(qs, pk=pk)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        referral = kwargs.get("referral") or self.get_referral(kwargs["pk"])
        scope = scope_for(user)
        referrer_view = scope.reach == Reach.NONE
        if referral.customer_id and not referrer_view and "forms" not in kwargs:
            audit_record(actor=user, action=AuditAction.VIEW, obj=referral, unit_id=referral.center_id)
        can_follow = scope.has(*FOLLOWERS) and referral.assigned_to_id == user.pk and referral.is_open
        forms = kwargs.get("forms") or {}
        ctx.update(
            referral=referral, referrer_view=referrer_view, can_follow=can_follow, today=timezone.localdate(),
            overdue=referral.is_overdue(timezone.localdate()),
            contact_form=forms.get("contact") or ContactForm(), convert_form=forms.get("convert") or ConvertForm(),
            invalid_form=forms.get("invalid") or InvalidForm(),
        )
        return ctx


ACTIONS = {  # each call gets the ``version`` the page was rendered with (stale → a message, 409)
    "accept": (None, lambda actor, r, d, v: services.referral_accept(actor=actor, referral=r, version=v)),
    "contact": (ContactForm, lambda actor, r, d, v: services.referral_record_contact(actor=actor, referral=r,
                                                                                    version=v, **d)),
    "convert": (ConvertForm, lambda actor, r, d, v: services.referral_convert(actor=actor, referral=r, version=v,
                                                                             **d)),
    "invalid": (InvalidForm, lambda actor, r, d, v: services.referral_mark_invalid(actor=actor, referral=r,
                                                                                  version=v, **d)),
}
DONE = {"accept": "已接收推介。", "contact": "已记录联系。", "convert": "已登记转化。", "invalid": "已标记为无效推介。"}


class ReferralActionView(ReferralPageMixin, View):
    """POST accept / contact / convert / invalid — only the assigned client manager (others 403, unseen 404)."""

    allowed_roles = FOLLOWERS

    def post(self, request, pk, action):
        if action not in ACTIONS:
            raise Http404
        referral = get_object_or_404(Referral.objects.visible_to(request.user).select_related("customer"), pk=pk)
        form_class, call = ACTIONS[action]
        form = form_class(request.POST) if form_class else None
        try:
            if form is not None and not form.is_valid():
                raise ValidationError({})
            call(request.user, referral, form.cleaned_data if form is not None else {}, request.POST.get("version"))
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            if form is not None:
                for field, msgs in errors.items():
                    form.add_error(field if field in form.fields else None, msgs)
            else:
                messages.error(request, " ".join(m for msgs in errors.values() for m in msgs))
            view = ReferralDetailView()
            view.setup(request, pk=pk)
            referral.refresh_from_db()
            ctx = view.get_context_data(pk=pk, referral=referral, forms={action: form} if form else {"x": None})
            return render(request, view.template_name, ctx, status=409 if isinstance(exc, Conflict) else 400)
        messages.success(request, _(DONE[action]))
        return redirect("referrals:detail", pk=referral.pk)


class ProspectMobileRevealView(ReferralPageMixin, View):
    """htmx: the prospect's mobile in clear for the assigned client manager, audited (R28)."""

    allowed_roles = FOLLOWERS

    def post(self, request, pk):
        referral = get_object_or_404(Referral.objects.visible_to(request.user), pk=pk)
        try:
            value = services.referral_reveal_prospect_mobile(actor=request.user, referral=referral)
        except PermissionDenied as exc:
            return HttpResponse(f'<span class="text-danger small">{escape(str(exc))}</span>', status=403)
        return HttpResponse(f'<span data-revealed="prospect_mobile">{escape(value)}</span>')


def _parse_day(value: str, default: dt.date) -> dt.date:
    """The core date parser (1900–2100, ``YYYY-MM`` allowed): bad input raises a 400 naming ``date``."""
    return parse_date_param((value or "").strip(), name="date", default=default, allow_month=True)


def stats_request(request) -> tuple[str, dt.date, OrgUnit | None]:
    """period, day and (drill-down) unit from the query string; a unit outside the user's subtree is 404."""
    period = "month" if request.GET.get("period") == "month" else "day"
    day = _parse_day(request.GET.get("date", ""), timezone.localdate())
    unit = None
    unit_id = request.GET.get("unit", "")
    if unit_id:
        if not unit_id.isdigit():
            raise Http404
        scope = scope_for(request.user)
        unit = OrgUnit.objects.filter(pk=int(unit_id), path__startswith=scope.unit_path or "\0").first()
        if unit is None:
            raise Http404
    return period, day, unit


# The page shows at most this many referrers (ranked); the rest are one drill-down or the export away: head
# office's month had 3,582 referrers (895 KB of HTML, issue 16).
REFERRER_ROWS = 50


class StatsView(ReplicaReadMixin, ReferralPageMixin, TemplateView):
    """《优质客户推介日统计表》 and the monthly statistics with ranking, roll-up with drill-down and trend (R17)."""

    allowed_roles = STATS_ROLES
    template_name = "referrals/stats.html"

    def get(self, request, *args, **kwargs):
        try:
            period, day, unit = stats_request(request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            period, day, unit = "day", timezone.localdate(), None
        stats = selectors.statistics(request.user, period=period, day=day, unit=unit)
        data = selectors.trend(request.user, end=day if period == "day" else stats["end"], unit=unit)
        referrers = stats["by_referrer"]
        ctx = self.get_context_data(stats=stats, period=period, day=day, drill_unit=unit,
                                    referrers=referrers[:REFERRER_ROWS], referrers_total=len(referrers),
                                    referrers_hidden=max(0, len(referrers) - REFERRER_ROWS),
                                    chart=selectors.trend_option(data),
                                    export_url=reverse("referrals:stats_export") + "?" + request.GET.urlencode())
        return self.render_to_response(ctx)


class StatsExportView(ReplicaReadMixin, ReferralPageMixin, View):
    """The daily or monthly table as .xlsx in the handbook's layout; audited as an export."""

    allowed_roles = STATS_ROLES

    def get(self, request):
        try:
            period, day, unit = stats_request(request)
        except ValidationError as exc:
            return HttpResponse(escape(" ".join(exc.messages)), status=400)
        stats = selectors.statistics(request.user, period=period, day=day, unit=unit)
        return exports.stats_export(request, stats)


class RuleView(ReferralPageMixin, TemplateView):
    """The center head sets the center's assignment rule (round robin or least loaded)."""

    allowed_roles = SETTING_EDITORS
    template_name = "referrals/rule_form.html"

    def _center(self):
        center = self.request.user.unit
        if center is None:
            raise Http404
        return center

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        center = self._center()
        setting = services.center_setting(center)
        ctx.setdefault("form", RuleForm(initial={"rule": setting.rule}))
        ctx["center"] = center
        return ctx

    def post(self, request):
        form = RuleForm(request.POST)
        if form.is_valid():
            try:
                services.center_rule_update(actor=request.user, center=self._center(), rule=form.cleaned_data["rule"])
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("分配规则已保存。"))
                return redirect("referrals:rule")
        return self.render_to_response(self.get_context_data(form=form), status=400)
