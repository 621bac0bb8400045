"""Career goals with their quarterly reviews (R37) and training plans with enrolment, attendance and an assessment
per participant (R38; head office and branches training the levels below, R40).

Deadlines are data (DESIGN rule 5): each quarterly review is a row created with its due date when the goal is set,
so "overdue" is a query (``due_on < today`` and still pending) that drives the workbench, the head's page, the
reminders and the compliance monitor alike.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.concurrency import VersionedModel
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import ScopedQuerySet, unit_subtree_q

from .choices import Attendance, GoalStatus, ReviewStatus, TrainingStatus

# Positions that see the career goals and trainings of their unit's whole subtree (read-only above the center).
SUBTREE_READERS = frozenset({Role.CENTER_HEAD, Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE})
# Every position of a bank employee: each staff member has career goals (R37) and may be trained (R38).
STAFF_POSITIONS = frozenset(set(Role.values) - {Role.FINANCIAL_ADVISOR, Role.SYSTEM_ADMIN, Role.AUDITOR})


class StaffOwnedQuerySet(ScopedQuerySet):
    """R37: a staff member sees only their own rows; the center head the center's; sub-branch, branch and head
    office their subtree. Not the customer reach: tellers and lobby managers have career goals too."""

    scope_unit_field = "center"
    scope_owner_field = "staff"

    def scope_q(self, scope):
        if scope.user_id is None or not scope.roles & STAFF_POSITIONS:
            return None
        q = Q(**{self.scope_owner_field: scope.user_id})
        if scope.has(*SUBTREE_READERS) and scope.unit_path:
            q |= unit_subtree_q(scope.unit_path, self.scope_unit_field)
        return q


class CareerGoalQuerySet(StaffOwnedQuerySet):
    pass


class CareerGoal(TimeStampedModel, VersionedModel):
    """One staff member's career goals for one year, set with the center head (R37): the goals, how they align
    with the bank's strategy, the measures. The head agrees them when setting them; the staff member confirms.
    ``center`` is the staff member's center when the goals were set (the scope of the row)."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("员工"), on_delete=models.PROTECT,
                              related_name="career_goals")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("所属机构"), on_delete=models.PROTECT,
                               related_name="career_goals")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    goal = models.TextField(_("职业目标"))
    alignment = models.TextField(_("与本行战略的一致性"))
    measures = models.TextField(_("实现措施"))
    head = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("商定负责人"), on_delete=models.PROTECT,
                             related_name="career_goals_agreed")
    head_agreed_at = models.DateTimeField(_("负责人确认时间"))
    staff_agreed_at = models.DateTimeField(_("员工确认时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.AWAITING_STAFF)

    objects = CareerGoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("职业目标")
        verbose_name_plural = _("职业目标")
        ordering = ["-year", "center_id", "staff_id"]
        constraints = [models.UniqueConstraint(fields=["staff", "year"], name="careergoal_staff_year_uniq")]
        indexes = [models.Index(fields=["center", "year"], name="careergoal_center_year_idx")]

    def __str__(self) -> str:
        return f"{self.staff} {self.year}"


class CareerReviewQuerySet(StaffOwnedQuerySet):
    scope_unit_field = "goal__center"
    scope_owner_field = "goal__staff"

    def overdue(self, today):
        return self.filter(status=ReviewStatus.PENDING, due_on__lt=today)


class CareerReview(TimeStampedModel):
    """The quarterly review of one staff member's career goals with the head (R37): due after each quarter
    (``due_on``, from the deadline table), held on ``held_on`` with the progress noted."""

    goal = models.ForeignKey(CareerGoal, verbose_name=_("职业目标"), on_delete=models.CASCADE, related_name="reviews")
    quarter = models.PositiveSmallIntegerField(_("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    due_on = models.DateField(_("回顾期限"), db_index=True)
    status = models.CharField(_("状态"), max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    held_on = models.DateField(_("回顾日期"), null=True, blank=True)
    progress = models.TextField(_("进展情况"), blank=True)
    next_steps = models.TextField(_("下一步安排"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回顾人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    objects = CareerReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("职业目标季度回顾")
        verbose_name_plural = _("职业目标季度回顾")
        ordering = ["goal_id", "quarter"]
        constraints = [models.UniqueConstraint(fields=["goal", "quarter"], name="careerreview_goal_quarter_uniq")]
        indexes = [models.Index(fields=["status", "due_on"], name="careerreview_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.goal} Q{self.quarter}"

    def is_overdue(self, today) -> bool:
        return self.status == ReviewStatus.PENDING and self.due_on < today


class TrainingQuerySet(ScopedQuerySet):
    """The organizing unit's subtree sees its trainings; a center head and the upper levels also see trainings
    their people are enrolled in (a branch's training of the center); every participant sees their own."""

    scope_unit_field = "organizer"
    scope_owner_field = None

    def scope_q(self, scope):
        if scope.user_id is None or not scope.roles & STAFF_POSITIONS:
            return None
        mine = Enrolment.objects.filter(person_id=scope.user_id).values("training_id")
        q = Q(pk__in=mine)
        if scope.has(*SUBTREE_READERS) and scope.unit_path:
            below = Enrolment.objects.filter(unit__path__startswith=scope.unit_path).values("training_id")
            q |= unit_subtree_q(scope.unit_path, "organizer") | Q(pk__in=below)
        return q


class TrainingPlan(TimeStampedModel, VersionedModel):
    """A training plan (R38): topic, audience (units below the organizer and/or positions), date, trainer, and the
    gap that motivated it (free text, optionally an indicator code of the targets). ``organizer`` is the unit
    that trains: head office trains branches, a branch its sub-branches and centers (R40)."""

    organizer = models.ForeignKey("orgs.OrgUnit", verbose_name=_("组织机构"), on_delete=models.PROTECT,
                                  related_name="trainings_organized")
    topic = models.CharField(_("培训主题"), max_length=120)
    held_on = models.DateField(_("培训日期"), db_index=True)
    trainer = models.CharField(_("培训讲师"), max_length=60)
    audience_units = models.ManyToManyField("orgs.OrgUnit", verbose_name=_("培训对象机构"), related_name="+")
    audience_positions = models.JSONField(_("培训对象岗位"), default=list, blank=True)
    gap = models.TextField(_("培训需求（差距）"))
    indicator_code = models.CharField(_("关联指标代码"), max_length=40, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=TrainingStatus.choices, default=TrainingStatus.PLANNED)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训计划")
        verbose_name_plural = _("培训计划")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organizer", "held_on"], name="training_org_day_idx")]

    def __str__(self) -> str:
        return f"{self.topic} {self.held_on:%Y-%m-%d}"

    def position_labels(self) -> list[str]:
        return [str(Role(p).label) for p in self.audience_positions if p in Role.values]


class EnrolmentQuerySet(ScopedQuerySet):
    """A participant sees their own row; the subtree of the participant's unit or of the organizer sees it too."""

    scope_unit_field = "unit"
    scope_owner_field = "person"

    def scope_q(self, scope):
        if scope.user_id is None or not scope.roles & STAFF_POSITIONS:
            return None
        q = Q(person_id=scope.user_id)
        if scope.has(*SUBTREE_READERS) and scope.unit_path:
            q |= unit_subtree_q(scope.unit_path, "unit") | unit_subtree_q(scope.unit_path, "training__organizer")
        return q


class Enrolment(TimeStampedModel):
    """One participant of one training: attendance and the assessment (score 0–100 and a comment, R38).
    ``unit`` is the participant's unit at enrolment, so the roll-up counts training where it was received."""

    training = models.ForeignKey(TrainingPlan, verbose_name=_("培训计划"), on_delete=models.CASCADE,
                                 related_name="enrolments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("参训人员"), on_delete=models.PROTECT,
                               related_name="training_enrolments")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="+")
    attendance = models.CharField(_("出席情况"), max_length=8, choices=Attendance.choices,
                                  default=Attendance.ENROLLED)
    attendance_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("考勤登记人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("考核成绩"), max_digits=5, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    comment = models.TextField(_("考核评语"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("考核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("考核时间"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("参训记录")
        verbose_name_plural = _("参训记录")
        ordering = ["training_id", "unit_id", "person_id"]
        constraints = [models.UniqueConstraint(fields=["training", "person"], name="enrolment_training_person_uniq")]
        indexes = [models.Index(fields=["unit", "training"], name="enrolment_unit_training_idx")]

    def __str__(self) -> str:
        return f"{self.training_id} {self.person_id}"
