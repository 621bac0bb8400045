from django.db import models
from django.utils.translation import gettext_lazy as _


class HuddleKind(models.TextChoices):
    """R13: the morning meeting (targets for the day, morale) and the end-of-day meeting (sales, problems)."""

    MORNING = "morning", _("晨会")
    EVENING = "evening", _("夕会")


class HuddleStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class Attendance(models.TextChoices):
    PRESENT = "present", _("出席")
    EXCUSED = "excused", _("请假")
    ABSENT = "absent", _("缺席")


class MeetingKind(models.TextChoices):
    """R14 team meetings kept by the team lead; R15 upper-level meetings at the sub-branch and the branch."""

    TEAM_WEEKLY = "team-weekly", _("团队周例会")
    TEAM_MONTHLY = "team-monthly", _("团队月例会")
    SUBBRANCH_BIWEEKLY = "subbranch-biweekly", _("支行双周例会")
    BRANCH_MONTHLY = "branch-monthly", _("分行月度经营分析会")


TEAM_KINDS = (MeetingKind.TEAM_WEEKLY, MeetingKind.TEAM_MONTHLY)
UPPER_KINDS = (MeetingKind.SUBBRANCH_BIWEEKLY, MeetingKind.BRANCH_MONTHLY)


class ActionStatus(models.TextChoices):
    OPEN = "open", _("未完成")
    DONE = "done", _("已完成")


class ProblemSource(models.TextChoices):
    DAILY_LOG = "daily_log", _("工作日志")
    HUDDLE = "huddle", _("晨会/夕会")
    MEETING = "meeting", _("例会")
    OTHER = "other", _("其他")


class ProblemStatus(models.TextChoices):
    """R12: raised → collected by the head → solved at the center, or sent up and answered → fed back to the
    client managers who raised it."""

    RAISED = "raised", _("已提出")
    COLLECTED = "collected", _("负责人已收集")
    ESCALATED = "escalated", _("已上报上级")
    ANSWERED = "answered", _("上级已答复，待反馈")
    SOLVED = "solved", _("本中心已解决，待反馈")
    FED_BACK = "fed_back", _("已反馈提出人")


AWAITING_FEEDBACK = (ProblemStatus.ANSWERED, ProblemStatus.SOLVED)
