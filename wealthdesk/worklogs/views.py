"""Worklog pages: the client manager's workbench, the daily log (R9), debriefs (R10), review and summary (R11)
and the head's view of the team."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from wealthdesk.contacts import selectors as contact_selectors
from wealthdesk.contacts.policy import decorate, intervals
from wealthdesk.contacts.viewutils import add_service_errors, parse_day
from wealthdesk.core.calendar import is_working_day, previous_working_day
from wealthdesk.core.params import get_param
from wealthdesk.core.registry import panels_for
from wealthdesk.core.roles import CENTER_MANAGEMENT, UPPER_LEVEL, Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.subquery import first_rows_and_count
from wealthdesk.core.views import CustomerDataMixin, HtmxTemplateMixin, RoleRequiredMixin
from wealthdesk.staff.models import User

from . import selectors, services
from .choices import HelpStatus, LogStatus
from .exports import log_export_response
from .forms import DailyLogForm, DebriefForm, HelpUpdateForm, ReviewForm
from .models import DailyLog, HelpRequest
from .supervision import is_supervisor, supervised_managers

LOG_READERS = frozenset({Role.CLIENT_MANAGER, *CENTER_MANAGEMENT, *UPPER_LEVEL, Role.AUDITOR})
SUPERVISORS = frozenset(CENTER_MANAGEMENT)
LIST_LIMIT = 10


class WorkbenchView(CustomerDataMixin, TemplateView):
    """A client manager's start page: due and overdue contacts, today's appointments, open alerts and maturing
    holdings (panels of other apps), birthdays this week, and the reminder for today's log."""

    allowed_roles = frozenset({Role.CLIENT_MANAGER})
    template_name = "worklogs/workbench.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        months = intervals()
        overdue = contact_selectors.overdue_customers(user, today, manager_id=user.pk, months=months)
        due = contact_selectors.due_soon_customers(user, today, contact_selectors.due_window_end(today),
                                                   manager_id=user.pk, months=months)
        overdue, overdue_count = first_rows_and_count(overdue, LIST_LIMIT)
        due, due_count = first_rows_and_count(due, LIST_LIMIT)
        ctx.update(
            today=today,
            overdue=decorate(overdue, months), overdue_count=overdue_count,
            due=decorate(due, months), due_count=due_count,
            appointments=list(contact_selectors.appointments_today(user, today)),
            birthdays=contact_selectors.birthdays_this_week(user, today),
            today_log=DailyLog.objects.filter(staff=user, log_date=today).only("id", "status", "log_date").first(),
            is_working_day=is_working_day(today),
            panels=panels_for(self.request, "workbench"),
        )
        return ctx


class WorkbenchContactsView(WorkbenchView):
    """The workbench's contact lists alone (htmx refresh after a quick-add)."""

    template_name = "worklogs/_workbench_contacts.html"


class HeadView(RoleRequiredMixin, TemplateView):
    """The head's (or team lead's) view: unreviewed logs, today's debriefs, missing logs and debriefs, each
    manager's contact coverage and overdue count, difficulties raised this week."""

    allowed_roles = SUPERVISORS
    template_name = "worklogs/head.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        monday = today - dt.timedelta(days=today.weekday())
        unreviewed, unreviewed_count = first_rows_and_count(selectors.unreviewed_logs(user), LIST_LIMIT)
        start = previous_working_day(previous_working_day(previous_working_day(today)))
        ctx.update(
            today=today,
            unreviewed=unreviewed, unreviewed_count=unreviewed_count,
            board=selectors.debrief_board(user, today),
            missing=selectors.missing_by_day(user, start, today),
            coverage=contact_selectors.coverage_by_manager(user, today),
            difficulties=list(selectors.difficulties(user, monday, today)[:20]),
            panels=panels_for(self.request, "head"),
        )
        # A team lead sees the team's figures (TEAM reach), so the page says whose view it is.
        ctx["is_head"] = scope_for(user).has(Role.CENTER_HEAD)
        # (the title names the team only when it is not the head's view: no query for it then)
        ctx["team"] = None if ctx["is_head"] else (user.team or user.led_teams.first())
        return ctx


class LogListView(RoleRequiredMixin, HtmxTemplateMixin, ListView):
    allowed_roles = LOG_READERS
    template_name = "worklogs/log_list.html"
    partial_template_name = "worklogs/_log_table.html"
    paginate_by = 25

    def get_queryset(self):
        p = self.request.GET
        return selectors.log_list(self.request.user, status=p.get("status", ""), staff=p.get("staff", ""),
                                  start=parse_day(p.get("start"), None, name="start"),
                                  end=parse_day(p.get("end"), None, name="end"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["statuses"] = [("unreviewed", _("待批阅")), *LogStatus.choices]
        ctx["managers"] = supervised_managers(self.request.user)
        return ctx


class LogExportView(RoleRequiredMixin, View):
    allowed_roles = LOG_READERS

    def get(self, request):
        p = request.GET
        today = timezone.localdate()
        start = parse_day(p.get("start"), today.replace(day=1), name="start")
        end = parse_day(p.get("end"), today, name="end")
        qs = selectors.log_list(request.user, status=p.get("status", ""), staff=p.get("staff", ""), start=start,
                                end=end)
        return log_export_response(request, qs, start, end)


class LogTodayView(RoleRequiredMixin, View):
    """Open (or start) today's log."""

    allowed_roles = frozenset({Role.CLIENT_MANAGER})

    def get(self, request):
        try:
            log = services.daily_log_for_today(actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(sum(exc.message_dict.values(), [])))
            return redirect("worklogs:logs")
        return redirect("worklogs:log", pk=log.pk)


class LogDetailView(RoleRequiredMixin, View):
    """One log: its author edits it while draft/reopened (optimistic lock); supervisors review or reopen it."""

    allowed_roles = LOG_READERS

    def _log(self, request, pk):
        return get_object_or_404(DailyLog.objects.visible_to(request.user).select_related("staff", "reviewed_by"),
                                 pk=pk)

    def _render(self, request, log, form=None, status=200):
        editable = log.is_editable and log.staff_id == request.user.pk
        if editable and form is None:
            form = DailyLogForm(instance=log)
        figures = services.known_figures(log.staff, log.log_date) if editable else log.figures
        can_review = is_supervisor(request.user, log.staff)
        ctx = {"log": log, "form": form if editable else None, "figures": services.figure_rows(figures),
               "suggestions": services.suggestions(log.staff, log.log_date) if editable else {},
               "next_log": selectors.next_unreviewed_log(request.user, log) if can_review else None,
               "can_review": can_review, "review_form": ReviewForm(),
               "help_items": list(log.help_requests.all()), "help_statuses": HelpStatus.choices}
        return render(request, "worklogs/log_detail.html", ctx, status=status)

    def get(self, request, pk):
        log = self._log(request, pk)
        return self._render(request, log)

    def post(self, request, pk):
        log = self._log(request, pk)
        if log.staff_id != request.user.pk:
            raise PermissionDenied(_("只能修改自己的日志。"))
        form = DailyLogForm(request.POST, instance=DailyLog.objects.get(pk=log.pk))
        if not form.is_valid():
            return self._render(request, log, form, status=400)
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            saved = services.daily_log_save(actor=request.user, log=log, version=form.cleaned_data["version"],
                                            submit="submit" in request.POST, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(request, log, form, status=409 if "version" in exc.message_dict else 400)
        messages.success(request, _("日志已提交。") if saved.status == LogStatus.SUBMITTED else _("日志已保存。"))
        return redirect("worklogs:log", pk=log.pk)


class LogReviewView(RoleRequiredMixin, View):
    allowed_roles = SUPERVISORS

    def post(self, request, pk):
        log = get_object_or_404(DailyLog.objects.visible_to(request.user).select_related("staff"), pk=pk)
        form = ReviewForm(request.POST)
        form.is_valid()
        try:
            if "reopen" in request.POST:
                services.daily_log_reopen(actor=request.user, log=log, reason=form.cleaned_data.get("comment", ""))
                messages.success(request, _("日志已退回修改。"))
            else:
                services.daily_log_review(actor=request.user, log=log, comment=form.cleaned_data.get("comment", ""))
                messages.success(request, _("日志已批阅。"))
        except ValidationError as exc:
            messages.error(request, "；".join(sum(exc.message_dict.values(), [])))
        return redirect("worklogs:log", pk=log.pk)


class DebriefListView(RoleRequiredMixin, ListView):
    allowed_roles = LOG_READERS
    template_name = "worklogs/debrief_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.debrief_list(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_record"] = bool(SUPERVISORS & set(self.request.user.role_codes))
        ctx["today"] = timezone.localdate()
        if ctx["can_record"]:
            ctx["board"] = selectors.debrief_board(self.request.user, ctx["today"])
        return ctx


class DebriefCreateView(RoleRequiredMixin, View):
    """R10 in two clicks: the head presses "当面" or "电话" beside a manager's name."""

    allowed_roles = SUPERVISORS

    def post(self, request):
        form = DebriefForm(request.POST)
        if not form.is_valid():
            return self._answer(request, {k: [str(e) for e in v] for k, v in form.errors.items()}, 400)
        data = form.cleaned_data
        staff = User.objects.visible_to(request.user).filter(pk=data["staff"]).first()
        try:
            services.debrief_record(actor=request.user, staff=staff, debrief_date=data["debrief_date"],
                                    mode=data["mode"], note=data.get("note", ""))
        except ValidationError as exc:
            return self._answer(request, exc.message_dict, 400, staff=staff, day=data["debrief_date"])
        if request.htmx:
            board = selectors.debrief_board(request.user, data["debrief_date"])
            row = next((r for r in board if r["manager"].pk == staff.pk), None)
            return render(request, "worklogs/_debrief_row.html", {"r": row, "today": data["debrief_date"]})
        messages.success(request, _("汇报已登记。"))
        return redirect("worklogs:debriefs" if request.POST.get("back") == "list" else "worklogs:head")

    def _answer(self, request, errors: dict, status: int, staff=None, day=None):
        text = "；".join(f"{msg}" for msgs in errors.values() for msg in msgs)
        row = None
        if request.htmx and staff is not None and day is not None:
            row = next((r for r in selectors.debrief_board(request.user, day) if r["manager"].pk == staff.pk), None)
        if row is not None:  # the row swaps itself (outerHTML of a <tr>): keep the row, with the reason in it
            return render(request, "worklogs/_debrief_row.html", {"r": row, "today": day, "error": text},
                          status=status)
        if request.htmx:
            return HttpResponse(f'<div class="text-danger small" role="alert">{escape(text)}</div>', status=status)
        messages.error(request, text)
        return redirect("worklogs:head")


class MissingView(RoleRequiredMixin, TemplateView):
    """Missing logs and missing debriefs, listed by working day (R9, R10)."""

    allowed_roles = SUPERVISORS
    template_name = "worklogs/missing.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        end = parse_day(self.request.GET.get("end"), today, name="end")
        start = parse_day(self.request.GET.get("start"), end - dt.timedelta(days=13), name="start")
        if start > end or (end - start).days > 92:
            start = end - dt.timedelta(days=13)
        ctx.update(days=selectors.missing_by_day(self.request.user, start, end), start=start, end=end)
        return ctx


class SummaryView(RoleRequiredMixin, TemplateView):
    """R11: logs submitted against working days, totals, review shares, and the difficulties raised with what
    became of them, for a week or a month."""

    allowed_roles = SUPERVISORS | frozenset(UPPER_LEVEL)
    template_name = "worklogs/summary.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kind = "month" if self.request.GET.get("period") == "month" else "week"
        day = parse_day(self.request.GET.get("date"), timezone.localdate(), name="date")
        start, end = selectors.period_bounds(kind, day)
        ctx.update(selectors.summary(self.request.user, start, end), period=kind, day=day,
                   difficulties=list(selectors.difficulties(self.request.user, start, end)[:100]),
                   prev=start - dt.timedelta(days=1), next=end + dt.timedelta(days=1),
                   read_target=get_param("log_review.read_share"), comment_target=get_param("log_review.comment_share"))
        return ctx


class HelpRequestUpdateView(RoleRequiredMixin, View):
    allowed_roles = SUPERVISORS

    def post(self, request, pk):
        item = get_object_or_404(HelpRequest.objects.visible_to(request.user).select_related("staff"), pk=pk)
        form = HelpUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.help_request_update(actor=request.user, help_request=item, **form.cleaned_data)
                messages.success(request, _("已更新。"))
            except ValidationError as exc:
                messages.error(request, "；".join(sum(exc.message_dict.values(), [])))
        else:
            messages.error(request, _("请选择状态。"))
        return redirect("worklogs:log", pk=item.log_id)


class HelpRequestListView(RoleRequiredMixin, ListView):
    allowed_roles = LOG_READERS
    template_name = "worklogs/help_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.help_requests(self.request.user, status=self.request.GET.get("status", ""))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["statuses"] = HelpStatus.choices
        return ctx
