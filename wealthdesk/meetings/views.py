"""Pages of huddles (R13), meetings with minutes and action items (R14, R15) and the upper-level compliance."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from wealthdesk.contacts.viewutils import add_service_errors, parse_day
from wealthdesk.core.exports import export_response
from wealthdesk.core.keyset import KeysetListMixin
from wealthdesk.core.pdf import pdf_response
from wealthdesk.core.roles import CENTER_MANAGEMENT, UPPER_LEVEL, Reach, Role
from wealthdesk.core.rollup import breadcrumbs, unit_in_scope
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import RoleRequiredMixin
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import agenda, selectors, services
from . import problems as problem_services
from .choices import (
    TEAM_KINDS,
    ActionStatus,
    Attendance,
    HuddleKind,
    HuddleStatus,
    MeetingKind,
    ProblemSource,
    ProblemStatus,
)
from .forms import ActionItemForm, HuddleCloseForm, HuddleRecordForm, MeetingForm, MinutesForm, ProblemForm, TextForm
from .models import ActionItem, Huddle, Meeting, Problem

READERS = frozenset({Role.CLIENT_MANAGER, *CENTER_MANAGEMENT, *UPPER_LEVEL, Role.AUDITOR})
HOLDERS = frozenset(CENTER_MANAGEMENT)
OVERSEERS = frozenset({*CENTER_MANAGEMENT, *UPPER_LEVEL, Role.AUDITOR})
CREATORS = frozenset({*CENTER_MANAGEMENT, Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE})
TEAM_CHOICES = 50  # at most this many teams in a filter drop-down
COMPLIANCE_READERS = frozenset({Role.CENTER_HEAD, *UPPER_LEVEL, Role.AUDITOR})


def _error_text(exc: ValidationError) -> str:
    return "；".join(str(m) for msgs in exc.message_dict.values() for m in msgs)


# ---------------------------------------------------------------- huddles

class HuddleListView(RoleRequiredMixin, KeysetListMixin, ListView):
    allowed_roles = READERS
    template_name = "meetings/huddle_list.html"
    keyset_per_page = 30

    def get_queryset(self):
        p = self.request.GET
        return selectors.huddle_list(self.request.user, team=p.get("team", ""), kind=p.get("kind", ""),
                                     start=parse_day(p.get("start"), None), end=parse_day(p.get("end"), None))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        teams = list(selectors.holdable_teams(user))
        today = timezone.localdate()
        # The team filter lists a center's few teams; above that (hundreds of teams) it is left out: bounded.
        choices = list(selectors.visible_teams(user)[:TEAM_CHOICES + 1])
        ctx.update(kinds=HuddleKind.choices, teams=choices if len(choices) <= TEAM_CHOICES else [], today=today,
                   my_teams=[{"team": t, "today": selectors.today_huddles(t, today)} for t in teams])
        return ctx


class HuddleBoardView(RoleRequiredMixin, TemplateView):
    """The head's view of the huddles: which teams held them each working day, which were missed (overdue) and
    when the head sat in."""

    allowed_roles = OVERSEERS
    template_name = "meetings/huddle_board.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        end = parse_day(self.request.GET.get("end"), today)
        start = parse_day(self.request.GET.get("start"), end - dt.timedelta(days=13))
        if start > end or (end - start).days > 92:
            start = end - dt.timedelta(days=13)
        user = self.request.user
        ctx.update(kinds=HuddleKind.choices, rollup=None, crumbs=[], start=start, end=end)
        scope = scope_for(user)
        if scope.reach >= Reach.SUBTREE and scope.unit_path:
            # Above a center the board is bounded: one row per child unit, a click goes one level down (R1).
            root = unit_in_scope(user, self.request.GET.get("unit"))
            ctx["crumbs"] = breadcrumbs(user, root)
            if root.kind != UnitKind.CENTER and OrgUnit.objects.filter(parent=root).exists():
                ctx["rollup"] = selectors.huddle_rollup(user, root, start, end)
                return ctx
            teams = selectors.visible_teams(user).filter(unit__path__startswith=root.path)
            ctx.update(board=selectors.huddle_board(user, start, end, teams=teams), root=root)
            return ctx
        ctx.update(board=selectors.huddle_board(user, start, end))
        return ctx


class HuddleOpenView(RoleRequiredMixin, View):
    """Open today's morning or end-of-day huddle in one click from the team page."""

    allowed_roles = HOLDERS

    def post(self, request):
        team = get_object_or_404(selectors.visible_teams(request.user), pk=request.POST.get("team") or 0)
        try:
            huddle = services.huddle_open(actor=request.user, team=team, kind=request.POST.get("kind", ""))
        except ValidationError as exc:
            existing = Huddle.objects.filter(team=team, held_on=timezone.localdate(),
                                             kind=request.POST.get("kind", "")).first()
            if existing:
                return redirect("meetings:huddle", pk=existing.pk)
            messages.error(request, _error_text(exc))
            return redirect("meetings:huddles")
        messages.success(request, _("%(kind)s已开始，请核对出席情况。") % {"kind": huddle.get_kind_display()})
        return redirect("meetings:huddle", pk=huddle.pk)


class HuddleRecordView(RoleRequiredMixin, View):
    """Record a huddle held earlier (date, start, duration): bad input gets a message naming the field."""

    allowed_roles = HOLDERS

    def _teams(self, request):
        return selectors.holdable_teams(request.user)

    def get(self, request):
        now = timezone.localtime()
        form = HuddleRecordForm(teams=self._teams(request), initial={
            "held_on": now.date(), "start_time": now.replace(second=0, microsecond=0).time(),
            "duration_minutes": 15, "kind": HuddleKind.MORNING})
        return render(request, "meetings/huddle_form.html", {"form": form})

    def post(self, request):
        form = HuddleRecordForm(request.POST, teams=self._teams(request))
        if form.is_valid():
            d = form.cleaned_data
            try:
                huddle = services.huddle_record(actor=request.user, team=d["team"], kind=d["kind"],
                                                started_at=d["started_at"], duration_minutes=d["duration_minutes"],
                                                targets=d["targets"], summary=d["summary"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已登记。"))
                return redirect("meetings:huddle", pk=huddle.pk)
        return render(request, "meetings/huddle_form.html", {"form": form}, status=400)


def _huddle(request, pk) -> Huddle:
    return get_object_or_404(Huddle.objects.visible_to(request.user).select_related("team", "led_by", "center"), pk=pk)


class HuddleDetailView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def _render(self, request, huddle, close_form=None, problem_form=None, status=200):
        user = request.user
        can_hold = services.can_hold_huddle(user, huddle.team)
        attendance = list(huddle.attendance.select_related("person").order_by("is_head", "person__full_name"))
        people = User.objects.filter(pk__in=[a.person_id for a in attendance if not a.is_head])
        ctx = {"huddle": huddle, "attendance": attendance, "statuses": Attendance.choices, "can_hold": can_hold,
               "is_open": huddle.status == HuddleStatus.OPEN,
               "can_join": scope_for(user).has(Role.CENTER_HEAD) and user.unit_id == huddle.center_id
               and not any(a.person_id == user.pk for a in attendance),
               "close_form": close_form or HuddleCloseForm(initial={"targets": huddle.targets,
                                                                    "summary": huddle.summary}),
               "problem_form": problem_form or ProblemForm(people=people),
               "problems": list(huddle.problems.select_related("raised_by"))}
        return render(request, "meetings/huddle_detail.html", ctx, status=status)

    def get(self, request, pk):
        return self._render(request, _huddle(request, pk))

    def post(self, request, pk):
        huddle = _huddle(request, pk)
        action = request.POST.get("action", "")
        try:
            if action == "attendance":
                statuses = {int(k.split("_", 1)[1]): v for k, v in request.POST.items()
                            if k.startswith("att_") and k.split("_", 1)[1].isdigit()}
                services.huddle_set_attendance(actor=request.user, huddle=huddle, statuses=statuses)
                messages.success(request, _("出席情况已保存。"))
            elif action == "close":
                form = HuddleCloseForm(request.POST)
                if not form.is_valid():
                    return self._render(request, huddle, close_form=form, status=400)
                try:
                    services.huddle_close(actor=request.user, huddle=huddle, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    return self._render(request, huddle, close_form=form, status=400)
                messages.success(request, _("已结束，时长已记录。"))
            elif action == "problem":
                people = User.objects.filter(pk__in=huddle.attendance.values("person_id"))
                form = ProblemForm(request.POST, people=people)
                if not form.is_valid():
                    return self._render(request, huddle, problem_form=form, status=400)
                if not services.can_hold_huddle(request.user, huddle.team):
                    raise ValidationError({"title": [_("只有主持人可以登记会上提出的问题。")]})
                problem_services.problem_raise(actor=request.user, title=form.cleaned_data["title"],
                                               detail=form.cleaned_data["detail"], source=ProblemSource.HUDDLE,
                                               raised_by=form.cleaned_data.get("raised_by") or request.user,
                                               huddle=huddle)
                messages.success(request, _("问题已登记，负责人可收集上报。"))
            elif action == "join":
                services.huddle_join(actor=request.user, huddle=huddle)
                messages.success(request, _("已登记列席。"))
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect("meetings:huddle", pk=huddle.pk)


# ---------------------------------------------------------------- meetings

class MeetingListView(RoleRequiredMixin, KeysetListMixin, ListView):
    allowed_roles = READERS
    template_name = "meetings/meeting_list.html"
    keyset_per_page = 30

    def get_queryset(self):
        p = self.request.GET
        return selectors.meeting_list(self.request.user, kind=p.get("kind", ""),
                                      start=parse_day(p.get("start"), None), end=parse_day(p.get("end"), None))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["kinds"] = MeetingKind.choices
        ctx["can_create"] = scope_for(self.request.user).has(*CREATORS)
        return ctx


def _creatable_kinds(user) -> list[str]:
    scope = scope_for(user)
    return [k for k in MeetingKind.values if scope.has(*services.meeting_creators(k))]


class MeetingCreateView(RoleRequiredMixin, View):
    allowed_roles = CREATORS

    def _form(self, request, data=None):
        teams = selectors.visible_teams(request.user).filter(unit_id=request.user.unit_id)
        recorders = User.objects.filter(Q(team__in=teams, role_assignments__role=Role.CLIENT_MANAGER)
                                        | Q(pk=request.user.pk)).distinct()
        kinds = _creatable_kinds(request.user)
        initial = {}
        if data is None:
            team = teams.first()
            kind = request.GET.get("kind") if request.GET.get("kind") in kinds else kinds[0]
            suggested = services.suggest_recorder(team) if kind in TEAM_KINDS else None
            initial = {"kind": kind, "team": team, "held_on": timezone.localdate(),
                       "recorder": suggested, "title": MeetingKind(kind).label}
        return MeetingForm(data, teams=teams, recorders=recorders,
                           kinds=kinds, initial=initial)

    def get(self, request):
        form = self._form(request)
        return render(request, "meetings/meeting_form.html", {"form": form,
                                                              "suggested": form.initial.get("recorder")})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                meeting = services.meeting_create(actor=request.user, kind=d["kind"], held_on=d["held_on"],
                                                  title=d["title"], team=d.get("team"), recorder=d.get("recorder"),
                                                  agenda=d.get("agenda", ""))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("会议记录已建立。"))
                return redirect("meetings:meeting", pk=meeting.pk)
        return render(request, "meetings/meeting_form.html", {"form": form}, status=400)


def _meeting(request, pk) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(request.user).select_related(
        "unit", "team", "chair", "recorder"), pk=pk)


def meeting_context(meeting: Meeting) -> dict:
    return {"meeting": meeting,
            "attendance": list(meeting.attendance.select_related("person").order_by("person__full_name")),
            "actions": list(meeting.actions.select_related("owner").order_by("due_date", "id")),
            "agenda_problems": list(meeting.problems.select_related("center", "raised_by")),
            "agenda_links": list(meeting.agenda_links.all()),
            "comments": list(meeting.comments.select_related("author")),
            "reads": list(meeting.reads.select_related("reader"))}


class MeetingDetailView(RoleRequiredMixin, View):
    """The minutes: agenda, attendance, decisions, action items; the head's read receipt and comments; the previous
    meeting's open action items; problems to pull onto the agenda."""

    allowed_roles = READERS

    def _render(self, request, meeting, minutes_form=None, action_form=None, status=200):
        user = request.user
        can_edit = services.can_edit_meeting(user, meeting)
        ctx = meeting_context(meeting)
        ctx.update(
            can_edit=can_edit, statuses=Attendance.choices,
            can_comment=scope_for(user).has(*services.READER_ROLES),
            minutes_form=minutes_form or MinutesForm(initial={
                "version": meeting.version, "title": meeting.title, "agenda": meeting.agenda,
                "decisions": meeting.decisions, "minutes": meeting.minutes}),
            action_form=action_form or ActionItemForm(owners=services.action_owner_choices(meeting)),
            previous_actions=selectors.previous_open_actions(meeting),
            comment_form=TextForm(),
            candidate_problems=self._candidates(meeting) if can_edit else [],
            agenda_sources=agenda.sources_for(user, meeting) if can_edit else [],
        )
        return render(request, "meetings/meeting_detail.html", ctx, status=status)

    def _candidates(self, meeting):
        if meeting.kind in TEAM_KINDS:
            qs = Problem.objects.filter(center_id=meeting.unit_id, status__in=[ProblemStatus.RAISED, ProblemStatus.COLLECTED])
        else:
            qs = Problem.objects.filter(holder_unit_id=meeting.unit_id, status=ProblemStatus.ESCALATED)
        return list(qs.exclude(discussed_in=meeting).select_related("center")[:20])

    def get(self, request, pk):
        meeting = _meeting(request, pk)
        services.meeting_mark_read(reader=request.user, meeting=meeting)
        return self._render(request, meeting)

    def post(self, request, pk):
        meeting = _meeting(request, pk)
        action = request.POST.get("action", "")
        try:
            if action == "minutes":
                form = MinutesForm(request.POST)
                if not form.is_valid():
                    return self._render(request, meeting, minutes_form=form, status=400)
                data = dict(form.cleaned_data)
                version = data.pop("version")
                try:
                    services.meeting_save(actor=request.user, meeting=meeting, version=version, **data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    return self._render(request, meeting, minutes_form=form,
                                        status=409 if "version" in exc.message_dict else 400)
                messages.success(request, _("会议记录已保存。"))
            elif action == "attendance":
                statuses = {int(k.split("_", 1)[1]): v for k, v in request.POST.items()
                            if k.startswith("att_") and k.split("_", 1)[1].isdigit()}
                services.meeting_set_attendance(actor=request.user, meeting=meeting, statuses=statuses)
                messages.success(request, _("出席情况已保存。"))
            elif action == "action_item":
                form = ActionItemForm(request.POST, owners=services.action_owner_choices(meeting))
                if not form.is_valid():
                    return self._render(request, meeting, action_form=form, status=400)
                try:
                    services.action_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    return self._render(request, meeting, action_form=form, status=400)
                messages.success(request, _("待办事项已添加，将显示在责任人的工作台。"))
            elif action == "comment":
                services.meeting_comment(actor=request.user, meeting=meeting, text=request.POST.get("text", ""))
                messages.success(request, _("批注已保存。"))
            elif action == "agenda_problem":
                problem = get_object_or_404(Problem.objects.visible_to(request.user),
                                            pk=request.POST.get("problem") or 0)
                problem_services.meeting_add_problem(actor=request.user, meeting=meeting, problem=problem)
                messages.success(request, _("已加入议程。"))
            elif action == "agenda_source":
                agenda.meeting_pull_item(actor=request.user, meeting=meeting, source=request.POST.get("source", ""),
                                         object_id=request.POST.get("object_id"))
                messages.success(request, _("已加入议程。"))
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect("meetings:meeting", pk=meeting.pk)


class MeetingPrintView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request, pk):
        meeting = _meeting(request, pk)
        return render(request, "meetings/meeting_print.html", meeting_context(meeting))


def minutes_rows(meeting: Meeting, ctx: dict) -> list[list]:
    """The minutes in the layout of 《周/月例会记录》: one row per heading, then the action items."""
    present = [str(a.person) for a in ctx["attendance"] if a.status == Attendance.PRESENT]
    away = [f"{a.person}（{a.get_status_display()}）" for a in ctx["attendance"] if a.status != Attendance.PRESENT]
    rows = [[_("会议类型"), meeting.get_kind_display(), "", "", ""],
            [_("会议日期"), meeting.held_on, "", "", ""],
            [_("会议主题"), meeting.title, "", "", ""],
            [_("主持人"), str(meeting.chair), "", "", ""],
            [_("记录人"), str(meeting.recorder or ""), "", "", ""],
            [_("出席"), "、".join(present), "", "", ""],
            [_("请假/缺席"), "、".join(away), "", "", ""],
            [_("议程"), meeting.agenda, "", "", ""],
            [_("决议"), meeting.decisions, "", "", ""],
            [_("会议纪要"), meeting.minutes, "", "", ""]]
    for i, item in enumerate(ctx["actions"], start=1):
        rows.append([_("待办事项 %(n)s") % {"n": i}, item.text, str(item.owner), item.due_date,
                     item.get_status_display()])
    return rows


class MeetingExportView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request, pk):
        meeting = _meeting(request, pk)
        ctx = meeting_context(meeting)
        return export_response(user=request.user, title=_("《周/月例会记录》"), unit=str(meeting.unit),
                               period=meeting.held_on.isoformat(), sheet_title="例会记录",
                               headers=[_("栏目"), _("内容"), _("责任人"), _("完成时限"), _("状态")],
                               rows=minutes_rows(meeting, ctx), audit_obj=meeting,
                               filename=f"例会记录-{meeting.held_on:%Y%m%d}.xlsx")


class MeetingPdfView(RoleRequiredMixin, View):
    """The minutes as a PDF in the form's layout (R14), rendered on the server with the export watermark; audited."""

    allowed_roles = READERS

    def get(self, request, pk):
        meeting = _meeting(request, pk)
        return pdf_response(request=request, template="meetings/meeting_print.html", context=meeting_context(meeting),
                            title=_("《周/月例会记录》"), unit=str(meeting.unit), audit_obj=meeting,
                            filename=f"例会记录-{meeting.held_on:%Y%m%d}.pdf")


class ComplianceView(RoleRequiredMixin, TemplateView):
    """R15: per sub-branch, meetings held against due and gaps over the limit; per branch, monthly meetings."""

    allowed_roles = COMPLIANCE_READERS
    template_name = "meetings/compliance.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        end = parse_day(self.request.GET.get("end"), today)
        start = parse_day(self.request.GET.get("start"), end - dt.timedelta(days=89))
        if start > end:
            start = end - dt.timedelta(days=89)
        ctx["c"] = selectors.upper_compliance(self.request.user, start, end)
        return ctx


# ---------------------------------------------------------------- action items

class ActionListView(RoleRequiredMixin, KeysetListMixin, ListView):
    allowed_roles = READERS
    template_name = "meetings/action_list.html"
    keyset_per_page = 50

    def get_queryset(self):
        p = self.request.GET
        return selectors.action_list(self.request.user, status=p.get("status", ""), mine=p.get("mine") == "1")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(statuses=ActionStatus.choices, today=timezone.localdate())
        return ctx


class ActionDoneView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def post(self, request, pk):
        item = get_object_or_404(ActionItem.objects.visible_to(request.user), pk=pk)
        try:
            services.action_item_done(actor=request.user, item=item, note=request.POST.get("note", ""))
            messages.success(request, _("事项已完成。"))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        nxt = request.POST.get("next", "")
        return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else "meetings:actions")
