"""Choices of the customer-voice app (R20–R24)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.submission import SubmissionStatus


class NeedCategory(models.TextChoices):
    """R20: the kinds of need a client manager records on a 《客户需求卡》."""

    INVESTMENT = "investment", _("投资理财")
    DEPOSIT = "deposit", _("存款")
    LOAN = "loan", _("贷款")
    INSURANCE = "insurance", _("保险")
    PAYMENTS = "payments", _("支付结算与银行卡")
    CHANNEL = "channel", _("渠道与服务")
    OTHER = "other", _("其他")


class AnswerRoute(models.TextChoices):
    """R22: who answers a customer's question — on the spot, or one of the levels it is routed to."""

    ON_SPOT = "on_spot", _("当场答复")
    TEAM_LEAD = "team_lead", _("客户经理组长")
    SUPERVISOR = "supervisor", _("业务主管")
    CENTER_HEAD = "center_head", _("理财中心负责人")
    BRANCH = "branch", _("分行")
    HEAD_OFFICE = "head_office", _("总行")


ROUTED = tuple(r for r in AnswerRoute.values if r != AnswerRoute.ON_SPOT)


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复待告知")
    TOLD = "told", _("已告知客户")


# The monthly center reports travel on core's submission chain (draft → submitted → received/returned → shared).
ReportStatus = SubmissionStatus


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class SurveyQuestionKind(models.TextChoices):
    """R21: the four kinds of survey question."""

    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    SCALE = "scale", _("1–5 分评分")
    TEXT = "text", _("文字")


class OpinionKind(models.TextChoices):
    OPINION = "opinion", _("意见建议")
    NEED = "need", _("业务需求")
    PRAISE = "praise", _("表扬")
    COMPLAINT = "complaint", _("不满与投诉")


class ServicePosition(models.TextChoices):
    """R23: which counter or role an opinion is about (service quality by position)."""

    CASH_COUNTER = "cash_counter", _("现金柜台")
    NONCASH_COUNTER = "noncash_counter", _("非现金柜台")
    LOBBY = "lobby", _("大堂服务")
    CLIENT_MANAGER = "client_manager", _("客户经理")
    SELF_SERVICE = "self_service", _("自助设备")
    OTHER = "other", _("其他岗位")


class OpinionStatus(models.TextChoices):
    NEW = "new", _("新留言")
    ASSIGNED = "assigned", _("已分派")
    CARDED = "carded", _("已转需求卡")
    COMPLAINT = "complaint", _("已转投诉")
    CLOSED = "closed", _("已办结")
