from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertKind(models.TextChoices):
    """R4: financial advisors come from outside the bank, financial experts from inside."""

    ADVISOR = "advisor", _("理财顾问（外部）")
    EXPERT = "expert", _("理财专家（行内）")


class Level(models.TextChoices):
    """The level a pool member serves and a consultation is asked at (the handbook's organization chapter)."""

    SUBBRANCH = "subbranch", _("支行")
    BRANCH = "branch", _("分行")
    HEAD_OFFICE = "head_office", _("总行")


class Specialty(models.TextChoices):
    FUNDS = "funds", _("基金")
    INSURANCE = "insurance", _("保险")
    TAX = "tax", _("税务筹划")
    ESTATE = "estate", _("财富传承")
    FX = "fx", _("外汇")
    METALS = "metals", _("贵金属")
    CREDIT = "credit", _("信贷融资")
    WMP = "wmp", _("银行理财")
    ALLOCATION = "allocation", _("资产配置")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("较急")
    CRITICAL = "critical", _("紧急")


class ConsultationStatus(models.TextChoices):
    QUEUED = "queued", _("待接单")
    TAKEN = "taken", _("处理中")
    ASKED_BACK = "asked_back", _("待客户经理补充")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已关闭")


OPEN_STATUSES = (ConsultationStatus.QUEUED, ConsultationStatus.TAKEN, ConsultationStatus.ASKED_BACK)


class MessageKind(models.TextChoices):
    QUESTION = "question", _("提问")
    ASK_BACK = "ask_back", _("专家追问")
    REPLY = "reply", _("客户经理补充")
    ANSWER = "answer", _("答复")


class Usage(models.TextChoices):
    """How the client manager used the answer."""

    ADOPTED = "adopted", _("已采纳并向客户提出建议")
    PARTLY = "partly", _("部分采纳")
    MEETING = "meeting", _("安排专家与客户会面")
    NOT_USED = "not_used", _("未采用")


class BookingStatus(models.TextChoices):
    PROPOSED = "proposed", _("已提议")
    CANCELLED = "cancelled", _("已取消")


WEEKDAYS = [(0, _("星期一")), (1, _("星期二")), (2, _("星期三")), (3, _("星期四")), (4, _("星期五")),
            (5, _("星期六")), (6, _("星期日"))]
