"""Huddles (R13), team and upper-level meetings with their minutes and action items (R14, R15), and the problems
raised by client managers that the head collects, solves or hands up, and feeds back within the deadline (R12)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.escalation import EscalatableModel
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import Reach
from wealthdesk.core.scoping import ScopedQuerySet, scope_for, unit_subtree_q

from .choices import ActionStatus, Attendance, HuddleKind, HuddleStatus, MeetingKind, ProblemSource, ProblemStatus


class TeamScopedQuerySet(ScopedQuerySet):
    """Center head and upper levels see their subtree; a client manager or team lead sees their team's rows."""

    scope_unit_field = "center"
    scope_owner_field = None

    def scope_q(self, scope):
        if scope.reach >= Reach.SUBTREE and scope.unit_path:
            return unit_subtree_q(scope.unit_path, self.scope_unit_field)
        if scope.reach >= Reach.OWN:
            q = Q(led_by_id=scope.user_id)
            if scope.team_id:
                q |= Q(team_id=scope.team_id)
            return q
        return None


class Huddle(TimeStampedModel):
    """One team's morning or end-of-day meeting on one day (R13). ``figures`` keeps the team's numbers the system
    knew when it was opened (yesterday's sales, referrals, contacts; open alerts, contacts due today)."""

    team = models.ForeignKey("staff.Team", verbose_name=_("团队"), on_delete=models.PROTECT, related_name="huddles")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT,
                               related_name="huddles")
    kind = models.CharField(_("类型"), max_length=8, choices=HuddleKind.choices)
    held_on = models.DateField(_("日期"), db_index=True)
    started_at = models.DateTimeField(_("开始时间"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=HuddleStatus.choices, default=HuddleStatus.OPEN)
    led_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("主持人"), on_delete=models.PROTECT,
                               related_name="huddles_led")
    figures = models.JSONField(_("系统数据"), default=dict, blank=True)
    targets = models.TextField(_("今日目标/士气"), blank=True)
    summary = models.TextField(_("小结"), blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("晨会/夕会")
        verbose_name_plural = _("晨会/夕会")
        ordering = ["-held_on", "-started_at"]
        constraints = [models.UniqueConstraint(fields=["team", "held_on", "kind"], name="huddle_team_day_kind_uniq")]
        indexes = [models.Index(fields=["center", "held_on"], name="huddle_center_day_idx")]

    def __str__(self) -> str:
        return f"{self.team} {self.held_on:%Y-%m-%d} {self.get_kind_display()}"


class HuddleAttendance(models.Model):
    huddle = models.ForeignKey(Huddle, verbose_name=_("晨会/夕会"), on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="+")
    status = models.CharField(_("出席情况"), max_length=8, choices=Attendance.choices, default=Attendance.PRESENT)
    is_head = models.BooleanField(_("负责人列席"), default=False)

    class Meta:
        verbose_name = _("晨会/夕会出席")
        verbose_name_plural = _("晨会/夕会出席")
        constraints = [models.UniqueConstraint(fields=["huddle", "person"], name="huddleatt_uniq")]

    def __str__(self) -> str:
        return f"{self.huddle_id} {self.person_id} {self.status}"


class MeetingQuerySet(ScopedQuerySet):
    """The holding unit's subtree (a center head sees the center's meetings, the sub-branch its own and its
    centers'); a team sees its team meetings; everyone sees the meetings they attended."""

    scope_unit_field = "unit"
    scope_owner_field = None

    def scope_q(self, scope):
        if scope.reach == Reach.NONE or scope.user_id is None:
            return None
        # The attendance as a semi-join (``id IN (SELECT meeting_id …)``), not a join: no row explosion, so the
        # list needs no DISTINCT/``pk IN`` wrapper and its ``ORDER BY … LIMIT`` stays on the meetings alone.
        attended = MeetingAttendance.objects.filter(person_id=scope.user_id).values("meeting_id")
        q = Q(pk__in=attended) | Q(recorder_id=scope.user_id) | Q(chair_id=scope.user_id)
        if scope.reach >= Reach.SUBTREE and scope.unit_path:
            q |= unit_subtree_q(scope.unit_path, "unit")
        elif scope.team_id:
            q |= Q(team_id=scope.team_id)
        return q

    def visible_to(self, user):
        q = self.scope_q(scope_for(user))
        if q is None:
            return self.none()
        return self.filter(q)


class Meeting(TimeStampedModel):
    """One meeting and its minutes 《周/月例会记录》 (R14) or an upper-level meeting (R15), at the unit that holds
    it. ``version`` is the optimistic lock of the minutes."""

    kind = models.CharField(_("会议类型"), max_length=24, choices=MeetingKind.choices)
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("召开机构"), on_delete=models.PROTECT,
                             related_name="meetings")
    team = models.ForeignKey("staff.Team", verbose_name=_("团队"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="meetings")
    held_on = models.DateField(_("会议日期"), db_index=True)
    title = models.CharField(_("会议主题"), max_length=120)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("主持人"), on_delete=models.PROTECT,
                              related_name="meetings_chaired")
    recorder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="meetings_recorded")
    agenda = models.TextField(_("议程"), blank=True)
    decisions = models.TextField(_("决议"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    version = models.PositiveIntegerField(_("版本号"), default=1)
    problems = models.ManyToManyField("Problem", verbose_name=_("议题（上报问题）"), blank=True,
                                      related_name="discussed_in")

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("例会记录")
        verbose_name_plural = _("例会记录")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "kind", "held_on"], name="meeting_unit_kind_day_idx")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="+")
    status = models.CharField(_("出席情况"), max_length=8, choices=Attendance.choices, default=Attendance.PRESENT)

    class Meta:
        verbose_name = _("会议出席")
        verbose_name_plural = _("会议出席")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="meetingatt_uniq")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.person_id} {self.status}"


class MeetingRead(models.Model):
    """A read receipt: the head (or anyone above) opened the minutes (R14)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("阅读人"), on_delete=models.PROTECT,
                               related_name="+")
    read_at = models.DateTimeField(_("阅读时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("纪要阅读记录")
        verbose_name_plural = _("纪要阅读记录")
        constraints = [models.UniqueConstraint(fields=["meeting", "reader"], name="meetingread_uniq")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.reader_id}"


class AgendaLink(models.Model):
    """An agenda item pulled from another app's record (a report submitted to the unit, R15), registered as an
    ``agenda source`` in ``core.registry``: the agenda line as it was pulled (masked) and the link back to it."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="agenda_links")
    source = models.CharField(_("来源"), max_length=24)
    object_id = models.PositiveBigIntegerField(_("来源记录"))
    title = models.CharField(_("标题"), max_length=200)
    text = models.CharField(_("议题内容"), max_length=400, blank=True)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("列入人"), on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(_("列入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("议程引用")
        verbose_name_plural = _("议程引用")
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "source", "object_id"], name="agendalink_uniq")]

    def __str__(self) -> str:
        return self.title


class MeetingComment(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批注人"), on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("批注"))

    class Meta:
        verbose_name = _("纪要批注")
        verbose_name_plural = _("纪要批注")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class ActionItemQuerySet(ScopedQuerySet):
    scope_unit_field = "meeting__unit"
    scope_owner_field = "owner"

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.reach == Reach.NONE or scope.user_id is None:
            return self.none()
        return self.filter(Q(owner_id=scope.user_id) | Q(meeting__in=Meeting.objects.visible_to(user)))

    def open(self):
        return self.filter(status=ActionStatus.OPEN)


class ActionItem(TimeStampedModel):
    """A decision of a meeting someone must carry out by a date; it shows on the owner's workbench (R14)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("事项"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), on_delete=models.PROTECT,
                              related_name="action_items")
    due_date = models.DateField(_("完成时限"), db_index=True)
    status = models.CharField(_("状态"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_note = models.CharField(_("完成情况"), max_length=300, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议待办事项")
        verbose_name_plural = _("会议待办事项")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "status", "due_date"], name="action_owner_status_idx"),
                   # the lists' order (status, due date, id): a page walks it instead of sorting every row
                   models.Index(fields=["status", "due_date", "id"], name="action_status_due_idx")]

    def __str__(self) -> str:
        return self.text[:40]


class ProblemQuerySet(ScopedQuerySet):
    """A client manager sees the problems they raised, a team lead the team's, the head and upper levels their
    subtree (so the sub-branch sees what its centers raised)."""

    scope_unit_field = "center"
    scope_owner_field = "raised_by"


class Problem(EscalatableModel, TimeStampedModel):
    """A problem a client manager raised (in a daily log, a huddle or a meeting) that needs someone else (R12).

    ``feedback_due`` is the deadline for the head (``feedback_owner``) to tell the raisers the answer: a number of
    working days (parameter ``problem.feedback_days``) after the answer or the local solution."""

    escalation_origin_field = "center"

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT,
                               related_name="problems")
    title = models.CharField(_("问题"), max_length=300)
    detail = models.TextField(_("详细说明"), blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=ProblemSource.choices, default=ProblemSource.OTHER)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                                  related_name="problems_raised")
    raised_on = models.DateField(_("提出日期"), db_index=True)
    help_request = models.OneToOneField("worklogs.HelpRequest", verbose_name=_("日志中的需协助事项"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="problem")
    huddle = models.ForeignKey(Huddle, verbose_name=_("提出于晨会/夕会"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="problems")
    meeting = models.ForeignKey(Meeting, verbose_name=_("提出于例会"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="problems_raised")
    status = models.CharField(_("状态"), max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.RAISED,
                              db_index=True)
    collected_at = models.DateTimeField(_("收集时间"), null=True, blank=True)
    solution = models.TextField(_("本中心解决方案"), blank=True)
    solved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    feedback_due = models.DateField(_("反馈期限"), null=True, blank=True, db_index=True)
    feedback_owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("反馈责任人"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    feedback_note = models.TextField(_("反馈内容"), blank=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("上报问题")
        verbose_name_plural = _("上报问题")
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["center", "status", "feedback_due"], name="problem_center_status_idx"),
                   models.Index(fields=["holder_unit", "escalation_state"], name="problem_holder_idx")]

    def __str__(self) -> str:
        return self.title[:40]

    @property
    def fed_back_in_time(self) -> bool | None:
        if self.fed_back_at is None or self.feedback_due is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.fed_back_at) <= self.feedback_due

    def is_feedback_overdue(self, today) -> bool:
        return self.status in (ProblemStatus.ANSWERED, ProblemStatus.SOLVED) and bool(
            self.feedback_due and self.feedback_due < today)
