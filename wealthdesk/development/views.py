"""Pages of career goals with quarterly reviews (R37) and of training plans with attendance, assessment, the
attendance export and the roll-up of training done below a unit (R38, R40)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from wealthdesk.contacts.viewutils import add_service_errors
from wealthdesk.core.dates import QueryParamError
from wealthdesk.core.exports import export_response, filters_from
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import RoleRequiredMixin
from wealthdesk.orgs.models import OrgUnit

from . import selectors, services
from .choices import Attendance, GoalStatus, TrainingStatus
from .forms import AssessForm, GoalEditForm, GoalForm, ReviewForm, TrainingForm
from .models import STAFF_POSITIONS, SUBTREE_READERS, CareerGoal, Enrolment, TrainingPlan

READERS = STAFF_POSITIONS
HEADS = services.GOAL_SETTERS
PLANNERS = services.PLANNERS
ROLLUP_READERS = SUBTREE_READERS


def _error_text(exc: ValidationError) -> str:
    return "；".join(str(m) for msgs in exc.message_dict.values() for m in msgs)


def _int_param(request, name: str, default=None):
    value = request.GET.get(name, "")
    if value in ("", None):
        return default
    try:
        number = int(value)
    except ValueError:
        raise QueryParamError(name, _("必须是整数。")) from None
    if not 0 < number < 10**9:
        raise QueryParamError(name, _("超出范围。"))
    return number


def _year_param(request, default=None):
    year = _int_param(request, "year", default)
    if year is not None and not 2000 <= year <= 2100:
        raise QueryParamError("year", _("应为 2000 到 2100 之间的年份。"))
    return year


# ---------------------------------------------------------------- career goals (R37)

class GoalListView(RoleRequiredMixin, ListView):
    """Career goals: a staff member sees their own, the head the center's, upper levels their subtree."""

    allowed_roles = READERS
    template_name = "development/goal_list.html"
    paginate_by = 30

    def get_queryset(self):
        today = timezone.localdate()
        overdue = self.request.GET.get("overdue") == "1"
        unit_id = _int_param(self.request, "unit")
        unit = get_object_or_404(OrgUnit, pk=unit_id) if unit_id else None
        return selectors.goal_list(self.request.user, year=_year_param(self.request),
                                   overdue_on=today if overdue else None, unit=unit)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        is_head = scope_for(user).has(*HEADS)
        ctx.update(today=today, is_head=is_head, overdue_only=self.request.GET.get("overdue") == "1",
                   year=self.request.GET.get("year", ""),
                   without_goal=list(selectors.staff_without_goal(user, today.year)[:50]) if is_head else [])
        return ctx


class GoalCreateView(RoleRequiredMixin, View):
    allowed_roles = HEADS

    def _form(self, request, data=None):
        initial = {"year": timezone.localdate().year, "staff": request.GET.get("staff", "")}
        return GoalForm(data, initial=initial, staff_choices=selectors.center_staff(request.user))

    def get(self, request):
        return render(request, "development/goal_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                goal = services.career_goal_set(actor=request.user, staff=d["staff"], year=d["year"], goal=d["goal"],
                                                alignment=d["alignment"], measures=d["measures"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("职业目标已设定，待员工确认。"))
                return redirect("development:goal", pk=goal.pk)
        return render(request, "development/goal_form.html", {"form": form}, status=400)


class GoalDetailView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get_goal(self, request, pk):
        return get_object_or_404(CareerGoal.objects.visible_to(request.user).select_related("staff", "center", "head"),
                                 pk=pk)

    def get(self, request, pk, edit_form=None, status=200):
        goal = self.get_goal(request, pk)
        user, today = request.user, timezone.localdate()
        can_edit = scope_for(user).has(*HEADS) and goal.center_id == user.unit_id and goal.staff_id != user.pk
        if edit_form is None and can_edit:
            edit_form = GoalEditForm(initial={"goal": goal.goal, "alignment": goal.alignment,
                                              "measures": goal.measures, "version": goal.version})
        return render(request, "development/goal_detail.html", {
            "goal": goal, "reviews": selectors.goal_reviews(goal), "today": today, "can_edit": can_edit,
            "edit_form": edit_form, "can_confirm": goal.staff_id == user.pk and goal.status != GoalStatus.AGREED,
        }, status=status)

    def post(self, request, pk):
        goal = self.get_goal(request, pk)
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                services.career_goal_confirm(actor=request.user, goal=goal)
                messages.success(request, _("已确认职业目标。"))
            elif action == "edit":
                form = GoalEditForm(request.POST)
                if not form.is_valid():
                    return self.get(request, pk, edit_form=form, status=400)
                d = form.cleaned_data
                try:
                    services.career_goal_update(actor=request.user, goal=goal, version=d.get("version"),
                                                text=d["goal"], alignment=d["alignment"], measures=d["measures"])
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    return self.get(request, pk, edit_form=form, status=409 if "version" in exc.message_dict else 400)
                messages.success(request, _("职业目标已修改，待员工重新确认。"))
            else:
                messages.error(request, _("未知的操作。"))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect("development:goal", pk=goal.pk)


class ReviewCreateView(RoleRequiredMixin, View):
    """The head records a quarterly review held with a staff member (R37)."""

    allowed_roles = HEADS

    def _form(self, request, data=None):
        today = timezone.localdate()
        initial = {"year": today.year, "quarter": services.quarter_of(today), "held_on": today,
                   "staff": request.GET.get("staff", "")}
        goal_id = _int_param(request, "goal")
        if goal_id:
            goal = get_object_or_404(CareerGoal.objects.visible_to(request.user), pk=goal_id)
            initial.update(staff=goal.staff_id, year=goal.year)
            if request.GET.get("quarter", "") in ("1", "2", "3", "4"):
                initial["quarter"] = int(request.GET["quarter"])
        return ReviewForm(data, initial=initial, staff_choices=selectors.center_staff(request.user))

    def get(self, request):
        return render(request, "development/review_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                review = services.career_review_record(actor=request.user, staff=d["staff"], year=d["year"],
                                                       quarter=d["quarter"], held_on=d["held_on"],
                                                       progress=d["progress"], next_steps=d["next_steps"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("季度回顾已记录。"))
                return redirect("development:goal", pk=review.goal_id)
        return render(request, "development/review_form.html", {"form": form}, status=400)


# ---------------------------------------------------------------- training (R38, R40)

def audience_choices(user):
    """The organizer's unit and up to two levels below it (a branch: its sub-branches and their centers); each
    chosen unit brings its whole subtree into the audience."""
    unit = user.unit
    if unit is None:
        return OrgUnit.objects.none()
    return (OrgUnit.objects.filter(path__startswith=unit.path, depth__lte=unit.depth + 2, is_active=True)
            .only("id", "name", "path").order_by("path"))


class TrainingListView(RoleRequiredMixin, ListView):
    allowed_roles = READERS
    template_name = "development/training_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.training_list(self.request.user, year=_year_param(self.request))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = scope_for(self.request.user)
        ctx.update(can_plan=scope.has(*PLANNERS), can_rollup=scope.has(*ROLLUP_READERS),
                   year=self.request.GET.get("year", ""))
        return ctx


class TrainingCreateView(RoleRequiredMixin, View):
    allowed_roles = PLANNERS

    def _form(self, request, data=None):
        return TrainingForm(data, unit_choices=audience_choices(request.user))

    def get(self, request):
        return render(request, "development/training_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                training = services.training_plan(
                    actor=request.user, topic=d["topic"], held_on=d["held_on"], trainer=d["trainer"],
                    audience_units=d["audience_units"], audience_positions=d["audience_positions"], gap=d["gap"],
                    indicator_code=d["indicator_code"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("培训计划已保存，已报名 %(n)s 人。") % {"n": training.enrolments.count()})
                return redirect("development:training", pk=training.pk)
        return render(request, "development/training_form.html", {"form": form}, status=400)


def _training(request, pk):
    return get_object_or_404(TrainingPlan.objects.visible_to(request.user).select_related("organizer"), pk=pk)


class TrainingDetailView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request, pk):
        training = _training(request, pk)
        user = request.user
        is_organizer = scope_for(user).has(*PLANNERS) and training.organizer_id == user.unit_id
        participants = list(selectors.training_participants(user, training))
        return render(request, "development/training_detail.html", {
            "training": training, "participants": participants, "is_organizer": is_organizer,
            "today": timezone.localdate(), "assess_form": AssessForm(), "Attendance": Attendance,
            "units": training.audience_units.order_by("path"), "can_enrol": training.status == TrainingStatus.PLANNED,
            "present_count": sum(1 for e in participants if e.attendance == Attendance.PRESENT),
        })


class TrainingAttendanceView(RoleRequiredMixin, View):
    allowed_roles = PLANNERS

    def post(self, request, pk):
        training = _training(request, pk)
        try:
            counts = services.training_attendance(actor=request.user, training=training,
                                                  present_ids=request.POST.getlist("present"))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("出席情况已保存：出席 %(present)s 人，缺席 %(absent)s 人。") % counts)
        return redirect("development:training", pk=training.pk)


class TrainingEnrolView(RoleRequiredMixin, View):
    allowed_roles = PLANNERS

    def post(self, request, pk):
        training = _training(request, pk)
        try:
            added = services.training_enrol(actor=request.user, training=training)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("已补充报名 %(n)s 人。") % {"n": added})
        return redirect("development:training", pk=training.pk)


class EnrolmentAssessView(RoleRequiredMixin, View):
    allowed_roles = PLANNERS

    def post(self, request, pk):
        enrolment = get_object_or_404(Enrolment.objects.visible_to(request.user).select_related("training", "person"),
                                      pk=pk)
        form = AssessForm(request.POST)
        form.is_valid()
        try:
            services.enrolment_assess(actor=request.user, enrolment=enrolment, score=form.cleaned_data.get("score"),
                                      comment=form.cleaned_data.get("comment", ""))
        except ValidationError as exc:
            messages.error(request, _("%(name)s：%(reason)s") % {"name": enrolment.person, "reason": _error_text(exc)})
        else:
            messages.success(request, _("已登记 %(name)s 的考核结果。") % {"name": enrolment.person})
        return redirect("development:training", pk=enrolment.training_id)


class TrainingExportView(RoleRequiredMixin, View):
    """《培训出席及考核表》 to Excel through the one export mechanism (watermark, audit, inert text)."""

    allowed_roles = READERS

    def get(self, request, pk):
        training = _training(request, pk)
        qs = selectors.training_participants(request.user, training)
        if not (scope_for(request.user).has(*SUBTREE_READERS)):
            raise PermissionDenied(_("您的岗位无权导出培训名单。"))

        def rows():
            for e in qs.iterator(chunk_size=2000):
                yield [e.unit.name, e.person.employee_no, str(e.person), e.get_attendance_display(),
                       e.score if e.score is not None else "", e.comment, str(e.assessed_by or ""),
                       timezone.localtime(e.assessed_at).strftime("%Y-%m-%d") if e.assessed_at else ""]

        return export_response(
            user=request.user, title=_("《培训出席及考核表》"),
            headers=[_("所属机构"), _("工号"), _("姓名"), _("出席情况"), _("考核成绩"), _("考核评语"), _("考核人"),
                     _("考核日期")],
            rows=rows(), filename=_("培训出席及考核表-%(d)s.xlsx") % {"d": training.held_on.isoformat()},
            period=f"{training.topic} · {training.held_on.isoformat()} · {training.organizer.name}",
            filters=filters_from(request.GET), audit_obj=training, audit_unit_id=training.organizer_id,
            audit_detail={"training": training.pk})


class TrainingRollupView(RoleRequiredMixin, TemplateView):
    """Training received below a unit in a year, per child unit, with drill-down (R38, R40)."""

    allowed_roles = ROLLUP_READERS
    template_name = "development/training_rollup.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        year = _year_param(self.request, timezone.localdate().year)
        unit_id = _int_param(self.request, "unit")
        root = user.unit
        if unit_id:
            root = get_object_or_404(OrgUnit.objects.filter(path__startswith=user.unit.path), pk=unit_id)
        ctx.update(root=root, year=year, data=selectors.training_rollup(user, root, year),
                   up=root.parent if root.pk != user.unit_id else None)
        return ctx
