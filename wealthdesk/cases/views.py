"""Pages of cases handed up and back (R5, R40): the list (with the level's inbox and what is overdue below), a new
case, one case with its trail and its next step."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from wealthdesk.contacts.viewutils import add_service_errors
from wealthdesk.core import escalation
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.masking import name_masker
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import RoleRequiredMixin
from wealthdesk.orgs.models import OrgUnit

from . import selectors, services
from .choices import CaseStatus, SubjectKind
from .forms import CaseForm, HandUpForm, TextForm
from .models import Case

READERS = frozenset({*services.OPENERS, *services.ANSWER_ROLES})
ANSWERERS = services.ANSWER_ROLES


def subject_label(user, case: Case) -> str:
    """What the case is about, as the viewer may see it (customers' names masked as for them)."""
    subject = services.subject_of(user, case.subject_kind, case.subject_id)
    kind = SubjectKind(case.subject_kind).label
    if subject is None:
        return f"{kind} #{case.subject_id}"
    if case.subject_kind == SubjectKind.CUSTOMER:
        return f"{kind} {name_masker(user)(subject.name)}（{subject.cif_no}）"
    return f"{kind} {getattr(subject, 'number', None) or '#' + str(subject.pk)}"


class CaseListView(RoleRequiredMixin, ListView):
    allowed_roles = READERS
    template_name = "cases/case_list.html"
    paginate_by = 30

    def get_queryset(self):
        p = self.request.GET
        return selectors.case_list(self.request.user, status=p.get("status", ""), mine=p.get("mine", ""))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        upper = scope_for(user).has(*ANSWERERS)
        ctx.update(statuses=[*CaseStatus.choices, ("overdue", _("答复逾期"))], today=timezone.localdate(),
                   can_open=scope_for(user).has(*services.OPENERS), upper=upper,
                   inbox=list(selectors.case_inbox(user)[:20]) if upper else [],
                   overdue_below=list(selectors.overdue_below(user)[:20]) if upper else [])
        return ctx


class CaseCreateView(RoleRequiredMixin, View):
    allowed_roles = services.OPENERS

    def _targets(self, request):
        return escalation.escalation_targets(request.user.unit, services.TARGET_KINDS) if request.user.unit_id else []

    def get(self, request):
        initial = {k: request.GET.get(k) for k in ("subject_kind", "subject_id") if request.GET.get(k)}
        return render(request, "cases/case_form.html", {"form": CaseForm(initial=initial,
                                                                          targets=self._targets(request))})

    def post(self, request):
        targets = self._targets(request)
        form = CaseForm(request.POST, targets=targets)
        if form.is_valid():
            d = form.cleaned_data
            to_unit = OrgUnit.objects.filter(pk=d["to_unit"]).first() if d["to_unit"] else None
            try:
                case = services.case_open(actor=request.user, subject_kind=d["subject_kind"],
                                          subject_id=d["subject_id"], title=d["title"], question=d["question"],
                                          service_level=d["service_level"], to_unit=to_unit)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已上报至%(unit)s。") % {"unit": to_unit} if to_unit else _("事项已登记。"))
                return redirect("cases:case", pk=case.pk)
        return render(request, "cases/case_form.html", {"form": form}, status=400)


def _case(request, pk) -> Case:
    return get_object_or_404(Case.objects.visible_to(request.user).select_related(*selectors.CASE_RELATED), pk=pk)


def render_case(request, case: Case, forms=None, status=200):
    user = request.user
    scope = scope_for(user)
    at_holder = user.unit_id == case.holder_unit_id and case.status == CaseStatus.REFERRED
    at_center = user.unit_id == case.center_id and scope.has(*services.OPENERS)
    targets = services.targets_for(case)
    forms = forms or {}
    ctx = {"case": case, "trail": list(escalation.trail(case)), "today": timezone.localdate(),
           "subject": subject_label(user, case),
           "can_take": at_holder and scope.has(*ANSWERERS) and case.owner_id is None,
           "can_answer": at_holder and scope.has(*ANSWERERS) and case.owner_id in (None, user.pk),
           "can_hand_up": bool(targets) and ((at_center and case.status == CaseStatus.OPEN)
                                             or (at_holder and scope.has(*ANSWERERS))),
           "can_close": at_center and case.status in (CaseStatus.ANSWERED, CaseStatus.OPEN),
           "hand_up_form": forms.get("hand_up") or HandUpForm(targets=targets),
           "answer_form": forms.get("answer") or TextForm(), "close_form": forms.get("close") or TextForm(),
           "overdue": case.is_overdue(timezone.localdate()),
           "errors": [str(m) for f in forms.values() for msgs in f.errors.values() for m in msgs]}
    audit_record(actor=user, action=AuditAction.VIEW, obj=case)
    return render(request, "cases/case_detail.html", ctx, status=status)


class CaseDetailView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request, pk):
        return render_case(request, _case(request, pk))


class CaseStepView(RoleRequiredMixin, View):
    """One step: hand up (or forward), take, answer, close."""

    allowed_roles = READERS

    def post(self, request, pk, step):
        case = _case(request, pk)
        user = request.user
        if step == "hand_up":
            form = HandUpForm(request.POST, targets=services.targets_for(case))
            if not form.is_valid():
                return render_case(request, case, {"hand_up": form}, status=400)
            to_unit = OrgUnit.objects.get(pk=form.cleaned_data["to_unit"])
            try:
                services.case_hand_up(actor=user, case=case, to_unit=to_unit, note=form.cleaned_data["note"])
            except ValidationError as exc:
                add_service_errors(form, exc)
                return render_case(request, case, {"hand_up": form}, status=400)
            messages.success(request, _("已上报至%(unit)s。") % {"unit": to_unit})
        elif step == "take":
            try:
                services.case_take(actor=user, case=case)
            except ValidationError as exc:
                messages.error(request, "；".join(m for msgs in exc.message_dict.values() for m in msgs))
            else:
                messages.success(request, _("已受理。"))
        elif step in ("answer", "close"):
            form = TextForm(request.POST)
            form.is_valid()
            text = form.cleaned_data.get("text", "")
            try:
                if step == "answer":
                    services.case_answer(actor=user, case=case, answer=text)
                    messages.success(request, _("已答复并退回理财中心。"))
                else:
                    services.case_close(actor=user, case=case, note=text)
                    messages.success(request, _("已办结。"))
            except ValidationError as exc:
                form.add_error("text", [m for msgs in exc.message_dict.values() for m in msgs])
                return render_case(request, case, {step: form}, status=400)
        else:
            raise Http404
        return redirect("cases:case", pk=case.pk)


