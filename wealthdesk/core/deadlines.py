"""Every deadline of the handbook, in one place: what it counts, from when, how long, and which parameter.

DESIGN rule 5 ("deadlines are data") needs each time limit computed the same way wherever it is shown. This table
says, per deadline, whether it counts **working days** (the working-day calendar of ``core.calendar``: weekends,
the State Council's public holidays and the adjusted working days, 调休) or **calendar months** (the contact
policy, R26, computed in ``contacts.policy``). Every rule counted in days counts working days: "2 weeks" (R22)
is ten working days, "3 days" (R12) three working days, "15 days" (R32) fifteen working days as the banking
complaint rules count their 日. The apps call ``due_date(key, start)``; nobody adds days by hand.

docs/deadlines.md is the same table for people; a test keeps the two in step.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .calendar import add_working_days
from .params import DEFAULTS, get_param


class Counting(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_MONTHS = "calendar_months", _("自然月")


@dataclass(frozen=True)
class Deadline:
    key: str  # internal key, e.g. "complaint.decision"
    rule: str  # the rule it implements (R32)
    counts: str  # a Counting value
    default: int  # default length in the unit it counts
    param: str  # the parameter head office edits
    label: str  # Chinese label of the parameter (translated)
    start: str  # what the count starts from, for the docs and tests
    handbook: str  # what the handbook or SPEC says


DEADLINES: dict[str, Deadline] = {d.key: d for d in [
    Deadline("alert.follow_up", "R6/R7", Counting.WORKING_DAYS, 2, "alert.due_working_days",
             _("资金异动/降级预警跟进时限（工作日）"), "the day the alert is raised", "2 working days"),
    Deadline("referral.follow_up", "R16", Counting.WORKING_DAYS, 2, "referral.due_working_days",
             _("推介跟进时限（工作日）"), "the day of the referral", "2 working days"),
    Deadline("debrief.daily", "R10", Counting.WORKING_DAYS, 0, "",
             _("每日汇报：当个工作日下班前"), "the working day itself", "before leaving each day"),
    Deadline("problem.feedback", "R12", Counting.WORKING_DAYS, 3, "problem.feedback_days",
             _("问题上报后反馈客户经理时限（工作日）"), "the day the upper level answers", "within 3 days"),
    Deadline("question.answer", "R22", Counting.WORKING_DAYS, 10, "question.due_days",
             _("客户问题答复时限（工作日，两周）"), "the day the question is asked", "within 2 weeks"),
    Deadline("complaint.decision", "R32", Counting.WORKING_DAYS, 15, "complaint.due_days",
             _("投诉处理时限（工作日，自受理之日起）"), "the day of acceptance", "15 days"),
    Deadline("complaint.extended", "R32", Counting.WORKING_DAYS, 30, "complaint.max_extended_days",
             _("复杂投诉延长后的最长时限（工作日，自受理之日起）"), "the day of acceptance", "up to 30 days"),
    Deadline("performance.close", "R34", Counting.WORKING_DAYS, 5, "performance.close_working_days",
             _("绩效汇总表月结时限（月末后工作日）"), "the last day of the month", "scored monthly"),
    Deadline("case.answer", "R5/R40", Counting.WORKING_DAYS, 5, "case.answer_days",
             _("上级答复下级服务请求时限（工作日，普通）"), "the day the case is handed up to a level",
             "none given (service level of our choosing)"),
    Deadline("case.answer_urgent", "R5/R40", Counting.WORKING_DAYS, 2, "case.urgent_answer_days",
             _("上级答复下级服务请求时限（工作日，紧急）"), "the day the case is handed up to a level",
             "none given (service level of our choosing)"),
    Deadline("consultation.normal", "R4", Counting.WORKING_DAYS, 5, "consultation.normal_days",
             _("专家咨询答复时限：一般（工作日）"), "the day the consultation is asked", "none (our default)"),
    Deadline("consultation.urgent", "R4", Counting.WORKING_DAYS, 2, "consultation.urgent_days",
             _("专家咨询答复时限：较急（工作日）"), "the day the consultation is asked", "none (our default)"),
    Deadline("consultation.critical", "R4", Counting.WORKING_DAYS, 1, "consultation.critical_days",
             _("专家咨询答复时限：紧急（工作日）"), "the day the consultation is asked", "none (our default)"),
    Deadline("contact.policy", "R26", Counting.CALENDAR_MONTHS, 1, "",
             _("最低联系频率（自然月，按客户级别设置）"), "the month of the last contact", "at least once a month"),
    Deadline("career.review", "R37", Counting.WORKING_DAYS, 10, "career.review_due_days",
             _("职业目标季度回顾时限（季度末后工作日）"), "the last day of the quarter", "quarterly"),
    Deadline("archive.paper_return", "R29", Counting.WORKING_DAYS, 5, "archive.paper_return_days",
             _("借出的纸质档案归还时限（工作日）"), "the day the file is checked out",
             "paper files are held by the keeper"),
]}

# The deadlines' parameters with their defaults and labels (the registry wins over any app's own default).
for _d in DEADLINES.values():
    if _d.param:
        DEFAULTS[_d.param] = (_d.default, _d.label)


def length(key: str) -> int:
    """The current length of a deadline (head office's parameter, else the default)."""
    deadline = DEADLINES[key]
    return int(get_param(deadline.param)) if deadline.param else deadline.default


def due_date(key: str, start: dt.date, days: int | None = None) -> dt.date:
    """The due date of deadline ``key`` counted from ``start`` (``days`` overrides the parameter)."""
    deadline = DEADLINES[key]
    if deadline.counts != Counting.WORKING_DAYS:
        raise ValueError(f"{key} is not counted in days")
    return add_working_days(start, length(key) if days is None else int(days))
