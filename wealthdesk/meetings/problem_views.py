"""Pages of the problem chain (R12): the list, the head's collection and deadlines, the upper levels' inbox, one
problem with its trail and its next step, and the monthly/quarterly escalation report."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from wealthdesk.contacts.viewutils import add_service_errors, parse_day
from wealthdesk.core import escalation
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.exports import export_response, filters_from
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import RoleRequiredMixin
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.worklogs.models import HelpRequest

from . import problems as services
from . import selectors
from .choices import AWAITING_FEEDBACK, ProblemSource, ProblemStatus
from .forms import EscalateForm, ProblemForm, TextForm
from .models import Problem
from .views import COMPLIANCE_READERS, READERS

RAISERS = frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD})
HEADS = frozenset({Role.CENTER_HEAD})
ANSWERERS = frozenset(services.ANSWER_ROLES)


class ProblemListView(RoleRequiredMixin, ListView):
    allowed_roles = READERS
    template_name = "meetings/problem_list.html"
    paginate_by = 30

    def get_queryset(self):
        p = self.request.GET
        return selectors.problem_list(self.request.user, status=p.get("status", ""), center=p.get("center", ""))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        is_head = scope_for(user).has(Role.CENTER_HEAD)
        ctx.update(statuses=[*ProblemStatus.choices, ("overdue", _("反馈逾期"))], today=timezone.localdate(),
                   is_head=is_head, can_raise=scope_for(user).has(*RAISERS),
                   awaiting=list(selectors.awaiting_feedback(user)[:20]) if is_head else [],
                   to_collect=list(selectors.help_to_collect(user)[:20]) if is_head else [])
        return ctx


class ProblemCreateView(RoleRequiredMixin, View):
    allowed_roles = RAISERS

    def get(self, request):
        return render(request, "meetings/problem_form.html", {"form": ProblemForm()})

    def post(self, request):
        form = ProblemForm(request.POST)
        if form.is_valid():
            try:
                problem = services.problem_raise(actor=request.user, title=form.cleaned_data["title"],
                                                 detail=form.cleaned_data["detail"], source=ProblemSource.OTHER)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("问题已提出，等待负责人收集。"))
                return redirect("meetings:problem", pk=problem.pk)
        return render(request, "meetings/problem_form.html", {"form": form}, status=400)


class CollectHelpView(RoleRequiredMixin, View):
    """The head takes a log's help-needed item into the chain."""

    allowed_roles = HEADS

    def post(self, request, pk):
        item = get_object_or_404(HelpRequest.objects.visible_to(request.user), pk=pk)
        try:
            problem = services.problem_collect_help(actor=request.user, help_request=item)
        except ValidationError as exc:
            messages.error(request, "；".join(sum(exc.message_dict.values(), [])))
            return redirect("meetings:problems")
        messages.success(request, _("已收集为问题。"))
        return redirect("meetings:problem", pk=problem.pk)


class InboxView(RoleRequiredMixin, TemplateView):
    """The sub-branch's or branch's inbox: problems handed up to it, waiting for its answer."""

    allowed_roles = ANSWERERS
    template_name = "meetings/problem_inbox.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["problems"] = list(selectors.inbox(self.request.user))
        return ctx


def _problem(request, pk) -> Problem:
    return get_object_or_404(Problem.objects.visible_to(request.user).select_related(
        "center", "raised_by", "holder_unit", "feedback_owner", "answered_unit", "answered_by", "help_request"), pk=pk)


class ProblemDetailView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def _render(self, request, problem, forms=None, status=200):
        user = request.user
        is_head = services.is_head_of(user, problem)
        at_holder = user.unit_id == problem.holder_unit_id and problem.status == ProblemStatus.ESCALATED
        can_answer = at_holder and scope_for(user).has(*ANSWERERS)
        targets = services.escalation_targets(problem)
        can_escalate = (is_head and problem.status in (ProblemStatus.RAISED, ProblemStatus.COLLECTED)) or can_answer
        forms = forms or {}
        ctx = {"problem": problem, "trail": list(escalation.trail(problem)), "today": timezone.localdate(),
               "is_head": is_head, "can_answer": can_answer, "can_escalate": can_escalate and bool(targets),
               "can_collect": is_head and problem.status == ProblemStatus.RAISED,
               "can_solve": is_head and problem.status in (ProblemStatus.RAISED, ProblemStatus.COLLECTED),
               "can_feedback": is_head and problem.status in AWAITING_FEEDBACK,
               "escalate_form": forms.get("escalate") or EscalateForm(targets=targets),
               "answer_form": forms.get("answer") or TextForm(),
               "solve_form": forms.get("solve") or TextForm(),
               "feedback_form": forms.get("feedback") or TextForm(),
               "overdue": problem.is_feedback_overdue(timezone.localdate()),
               "errors": [str(m) for f in forms.values() for msgs in f.errors.values() for m in msgs]}
        audit_record(actor=user, action=AuditAction.VIEW, obj=problem)
        return render(request, "meetings/problem_detail.html", ctx, status=status)

    def get(self, request, pk):
        return self._render(request, _problem(request, pk))


class ProblemStepView(RoleRequiredMixin, View):
    """One step of the chain: collect, escalate (hand up / forward), answer, solve locally, feed back."""

    allowed_roles = frozenset({Role.CENTER_HEAD, *ANSWERERS})

    def post(self, request, pk, step):
        problem = _problem(request, pk)
        user = request.user
        detail = ProblemDetailView()
        try:
            if step == "collect":
                services.problem_collect(actor=user, problem=problem)
                messages.success(request, _("已收集。"))
            elif step == "escalate":
                form = EscalateForm(request.POST, targets=services.escalation_targets(problem))
                if not form.is_valid():
                    return detail._render(request, problem, {"escalate": form}, status=400)
                to_unit = OrgUnit.objects.get(pk=form.cleaned_data["to_unit"])
                try:
                    services.problem_escalate(actor=user, problem=problem, to_unit=to_unit,
                                              note=form.cleaned_data["note"])
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    return detail._render(request, problem, {"escalate": form}, status=400)
                messages.success(request, _("已上报至%(unit)s。") % {"unit": to_unit})
            elif step in ("answer", "solve", "feedback"):
                form = TextForm(request.POST)
                form.is_valid()
                text = form.cleaned_data.get("text", "")
                try:
                    if step == "answer":
                        services.problem_answer(actor=user, problem=problem, answer=text)
                        messages.success(request, _("已答复，理财中心负责人将反馈客户经理。"))
                    elif step == "solve":
                        services.problem_solve_locally(actor=user, problem=problem, solution=text)
                        messages.success(request, _("已记录本中心解决方案，请及时反馈客户经理。"))
                    else:
                        services.problem_feedback(actor=user, problem=problem, note=text)
                        messages.success(request, _("已反馈提出人。"))
                except ValidationError as exc:
                    form.add_error("text", [m for msgs in exc.message_dict.values() for m in msgs])
                    return detail._render(request, problem, {step: form}, status=400)
            else:
                raise Http404
        except PermissionDenied:
            raise
        except ValidationError as exc:
            messages.error(request, "；".join(str(m) for msgs in exc.message_dict.values() for m in msgs))
        return redirect("meetings:problem", pk=problem.pk)


class ReportView(RoleRequiredMixin, TemplateView):
    """Monthly or quarterly escalation report per center: raised, solved locally, escalated, answered, fed back in
    time (R12)."""

    allowed_roles = COMPLIANCE_READERS
    template_name = "meetings/problem_report.html"

    def _data(self):
        kind = "quarter" if self.request.GET.get("period") == "quarter" else "month"
        day = parse_day(self.request.GET.get("date"), timezone.localdate())
        start, end = selectors.period_bounds(kind, day)
        return kind, selectors.escalation_report(self.request.user, start, end)

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            kind, report = self._data()
            headers = [_("理财中心"), _("提出"), _("本中心解决"), _("上报"), _("上级答复"), _("已反馈"), _("按时反馈"),
                       _("逾期反馈"), _("当前逾期")]
            rows = [[r["center__name"], r["raised"], r["solved_locally"], r["escalated"], r["answered"], r["fed_back"],
                     r["in_time"], r["late"], r["overdue"]] for r in report["rows"]]
            return export_response(user=request.user, title=_("《问题上报与反馈统计》"), headers=headers, rows=rows,
                                   period=f"{report['start']:%Y-%m-%d} — {report['end']:%Y-%m-%d}",
                                   filters=filters_from(request.GET), audit_detail={"report": "problems"},
                                   filename=f"问题上报统计-{report['start']:%Y%m%d}.xlsx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kind, report = self._data()
        ctx.update(report=report, period=kind)
        return ctx
