"""Customer voice (R20–R24): needs cards and their questions, the monthly needs summary, surveys with
responses and the monthly survey report, and the public opinion book of each outlet."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.concurrency import VersionedModel
from wealthdesk.core.fields import EncryptedCharField, EncryptedModelMixin
from wealthdesk.core.masking import mask_mobile, mask_name
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import ScopedQuerySet, scope_for
from wealthdesk.core.submission import Submission, SubmissionQuerySet

from .choices import (
    AnswerRoute,
    NeedCategory,
    OpinionKind,
    OpinionStatus,
    QuestionStatus,
    ServicePosition,
    SurveyQuestionKind,
    SurveyStatus,
)

# Which position answers which route (R22); the inbox of a user is the routes of their positions.
ROUTE_ROLES = {
    AnswerRoute.TEAM_LEAD: Role.TEAM_LEAD,
    AnswerRoute.SUPERVISOR: Role.BUSINESS_SUPERVISOR,
    AnswerRoute.CENTER_HEAD: Role.CENTER_HEAD,
    AnswerRoute.BRANCH: Role.BRANCH_SERVICE,
    AnswerRoute.HEAD_OFFICE: Role.HQ_SERVICE,
}


def ancestor_paths(path: str) -> list[str]:
    """The materialized paths of a unit and all its ancestors (``a/b/c/`` → ``a/``, ``a/b/``, ``a/b/c/``)."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


class NeedsCardQuerySet(ScopedQuerySet):
    """Client manager: own cards; team lead: the team's; head, supervisor and upper levels: their subtree.
    Whoever a question on the card is routed to also sees the card (to answer it)."""

    scope_unit_field = "center"
    scope_owner_field = "client_manager"

    def scope_q(self, scope):
        q = super().scope_q(scope)
        if scope.user_id is None:
            return q
        routed = Q(Exists(NeedsQuestion.objects.filter(card=OuterRef("pk"), assignee_id=scope.user_id)))
        return routed if q is None else q | routed


class NeedsCard(TimeStampedModel):
    """A 《客户需求卡》 (R20): what one premium customer needs, by category, and the questions they asked.
    ``remarks`` (备注) collects the answers given on the spot (R22)."""

    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.PROTECT,
                                 related_name="needs_cards")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT, related_name="+")
    client_manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), on_delete=models.PROTECT,
                                       related_name="needs_cards")
    card_date = models.DateField(_("填写日期"), db_index=True)
    notes = models.TextField(_("需求说明"), blank=True, validators=[MaxLengthValidator(2000)])
    remarks = models.TextField(_("备注（当场答复）"), blank=True)
    source_opinion = models.ForeignKey("voice.Opinion", verbose_name=_("来源留言"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")

    objects = NeedsCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户需求卡")
        verbose_name_plural = _("客户需求卡")
        ordering = ["-card_date", "-id"]
        indexes = [models.Index(fields=["center", "card_date"], name="needscard_center_date_idx")]

    def __str__(self) -> str:
        return f"{self.customer.name} {self.card_date:%Y-%m-%d}"


class NeedItem(models.Model):
    """One category of need on a card, with the customer's words."""

    card = models.ForeignKey(NeedsCard, verbose_name=_("需求卡"), on_delete=models.CASCADE, related_name="items")
    category = models.CharField(_("需求类别"), max_length=16, choices=NeedCategory.choices)
    detail = models.CharField(_("具体需求"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("需求项")
        verbose_name_plural = _("需求项")
        ordering = ["card", "id"]
        constraints = [models.UniqueConstraint(fields=["card", "category"], name="needitem_card_category_uniq")]

    def __str__(self) -> str:
        return self.get_category_display()


class NeedsQuestionQuerySet(ScopedQuerySet):
    """Scoped like the cards, plus the questions routed to the user (their inbox, R22)."""

    scope_unit_field = "center"
    scope_owner_field = "card__client_manager"

    def scope_q(self, scope):
        q = super().scope_q(scope)
        inbox = inbox_q(scope)
        if inbox is None:
            return q
        return inbox if q is None else q | inbox

    def inbox_for(self, user):
        """Questions routed to this user's level and unit that still wait for an answer or were answered."""
        q = inbox_q(scope_for(user))
        return self.none() if q is None else self.filter(q)

    def overdue(self, today):
        return self.exclude(status=QuestionStatus.TOLD).filter(due_on__lt=today)

    def pending(self):
        return self.exclude(status=QuestionStatus.TOLD)


def inbox_q(scope) -> Q | None:
    """R22 routing: team lead, supervisor and head answer their center's questions (or the ones named to them);
    the branch and head-office service staff answer the questions routed to their unit."""
    if scope.user_id is None or scope.unit_id is None:
        return None
    routes = [route for route, role in ROUTE_ROLES.items() if scope.has(role)]
    if not routes:
        return None
    return Q(route__in=routes, target_unit_id=scope.unit_id) & (Q(assignee__isnull=True) | Q(assignee_id=scope.user_id))


class NeedsQuestion(VersionedModel, TimeStampedModel):
    """A question the customer asked (R22): answered on the spot (the answer goes into the card's remarks), or
    routed up with a due date; the answerer records the answer, the client manager when the customer was told."""

    card = models.ForeignKey(NeedsCard, verbose_name=_("需求卡"), on_delete=models.CASCADE, related_name="questions")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT, related_name="+")
    asked_on = models.DateField(_("提问日期"), db_index=True)
    text = models.CharField(_("问题"), max_length=500)
    route = models.CharField(_("答复方式"), max_length=16, choices=AnswerRoute.choices)
    target_unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("答复机构"), on_delete=models.PROTECT,
                                    related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("答复期限"), db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.OPEN)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复记录人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    told_on = models.DateField(_("告知客户日期"), null=True, blank=True)
    told_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("告知人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    objects = NeedsQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户问题")
        verbose_name_plural = _("客户问题")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["center", "status", "due_on"], name="needsq_center_status_idx"),
            models.Index(fields=["target_unit", "route", "status"], name="needsq_inbox_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="told") | Q(told_on__isnull=False), name="needsq_told_has_date"),
            models.CheckConstraint(condition=Q(status="open") | ~Q(answer=""), name="needsq_answered_has_text"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    def is_overdue(self, today) -> bool:
        return self.status != QuestionStatus.TOLD and self.due_on < today

    @property
    def answered_in_time(self) -> bool:
        return self.told_on is not None and self.told_on <= self.due_on


class CenterReportQuerySet(SubmissionQuerySet):
    """Monthly center reports on core's submission chain: the center's own head (and anyone with reach in the
    center) sees drafts; upper levels read only what was submitted to them (R24)."""

    scope_unit_field = "center"
    scope_owner_field = None


class MonthlyReport(Submission):
    """Common shape of the monthly reports a center builds and submits upward (R20, R21, R24) on core's chain."""

    TEXT_FIELDS: tuple[str, ...] = ()

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"), help_text=_("月份第一天"))
    figures = models.JSONField(_("统计数据"), default=dict, blank=True)

    objects = CenterReportQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def month_label(self) -> str:
        return f"{self.month:%Y-%m}"

    def submission_unit(self):
        return self.center

    def submission_author_id(self):
        return None

    def submission_period_start(self):
        return self.month

    def submission_content(self) -> dict:
        return {"figures": self.figures, **{name: getattr(self, name) for name in self.TEXT_FIELDS}}


class NeedsSummary(MonthlyReport):
    """The 《客户需求汇总表》 of one center and month (R20, R24): figures built by the system, the head's
    commentary and advice for marketing and the product mix, submitted upward."""

    REPORT_KIND = "needs_summary"
    TEXT_FIELDS = ("commentary", "marketing_advice", "product_advice")

    commentary = models.TextField(_("需求分析"), blank=True)
    marketing_advice = models.TextField(_("营销建议"), blank=True)
    product_advice = models.TextField(_("产品配置建议"), blank=True)

    class Meta:
        verbose_name = _("客户需求汇总表")
        verbose_name_plural = _("客户需求汇总表")
        ordering = ["-month", "center_id"]
        constraints = [models.UniqueConstraint(fields=["center", "month"], name="needssummary_center_month_uniq")]

    def __str__(self) -> str:
        return f"{self.center} {self.month_label} 客户需求汇总表"


class SurveyReport(MonthlyReport):
    """The 《调研信息汇总报告》 of one center and month (R21, R24): counts per question, the head's analysis."""

    REPORT_KIND = "survey_report"
    TEXT_FIELDS = ("analysis",)

    analysis = models.TextField(_("分析意见"), blank=True)

    class Meta:
        verbose_name = _("调研信息汇总报告")
        verbose_name_plural = _("调研信息汇总报告")
        ordering = ["-month", "center_id"]
        constraints = [models.UniqueConstraint(fields=["center", "month"], name="surveyreport_center_month_uniq")]

    def __str__(self) -> str:
        return f"{self.center} {self.month_label} 调研信息汇总报告"


SURVEY_ROLES = frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD, Role.BUSINESS_SUPERVISOR,
                          Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE})


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A survey is seen by the staff of the unit that built it, the units below it (who answer it) and the
        levels above (who read it). Drafts only by the building unit."""
        scope = scope_for(user)
        if not scope.has(*SURVEY_ROLES) or not scope.unit_path:
            return self.none()
        above_or_here = Q(owner_unit__path__in=ancestor_paths(scope.unit_path))
        below = Q(owner_unit__path__startswith=scope.unit_path)
        published = ~Q(status=SurveyStatus.DRAFT) | Q(owner_unit_id=scope.unit_id)
        return self.filter((above_or_here | below) & published)


class Survey(TimeStampedModel):
    """A 《客户调研表》 (R21), built by head office, a branch or a center head (investment preference, a product…)."""

    title = models.CharField(_("调研主题"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    owner_unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("发起机构"), on_delete=models.PROTECT,
                                   related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户调研表")
        verbose_name_plural = _("客户调研表")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    """One question of a survey: single or multiple choice (``options``), a 1–5 scale, or free text."""

    survey = models.ForeignKey(Survey, verbose_name=_("调研表"), on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    kind = models.CharField(_("题型"), max_length=16, choices=SurveyQuestionKind.choices)
    text = models.CharField(_("题目"), max_length=300)
    options = models.JSONField(_("选项"), default=list, blank=True)
    required = models.BooleanField(_("必答"), default=True)

    class Meta:
        verbose_name = _("调研题目")
        verbose_name_plural = _("调研题目")
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class SurveyResponseQuerySet(ScopedQuerySet):
    scope_unit_field = "center"
    scope_owner_field = "client_manager"


class SurveyResponse(TimeStampedModel):
    """One customer's answers to a survey, recorded by their client manager (R21).
    ``answers`` maps question id (as text) to the value: an option, a list of options, 1–5, or text."""

    survey = models.ForeignKey(Survey, verbose_name=_("调研表"), on_delete=models.PROTECT, related_name="responses")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.PROTECT,
                                 related_name="survey_responses")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT, related_name="+")
    client_manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), on_delete=models.PROTECT,
                                       related_name="+")
    responded_on = models.DateField(_("调研日期"), db_index=True)
    answers = models.JSONField(_("答案"), default=dict)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("调研答卷")
        verbose_name_plural = _("调研答卷")
        ordering = ["-responded_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["survey", "customer"], name="surveyresponse_once_uniq")]
        indexes = [models.Index(fields=["center", "responded_on"], name="surveyresp_center_date_idx")]

    def __str__(self) -> str:
        return f"{self.survey} · {self.customer.name}"


class OpinionQuerySet(ScopedQuerySet):
    """The center's inbox: head, supervisor and upper levels see their subtree; a client manager or team lead
    sees the entries assigned to them."""

    scope_unit_field = "center"
    scope_owner_field = "assignee"


class Opinion(EncryptedModelMixin, VersionedModel, TimeStampedModel):
    """An entry in the public opinion book (R23) of an outlet or center, left without login. Name and contact
    are optional: nothing else about the customer is stored (not even the IP address)."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("网点"), on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("处理理财中心"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=OpinionKind.choices, default=OpinionKind.OPINION)
    content = models.TextField(_("内容"))
    name = models.CharField(_("称呼"), max_length=40, blank=True)
    contact = EncryptedCharField(_("联系方式"), max_length=60, blank=True)  # encrypted at rest (issue 15)
    rating = models.PositiveSmallIntegerField(_("服务评分"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    product_line = models.CharField(_("涉及业务"), max_length=16, choices=NeedCategory.choices, blank=True)
    position = models.CharField(_("涉及岗位"), max_length=16, choices=ServicePosition.choices, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=OpinionStatus.choices, default=OpinionStatus.NEW,
                              db_index=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    handling_note = models.TextField(_("处理说明"), blank=True)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    needs_card = models.ForeignKey(NeedsCard, verbose_name=_("转成的需求卡"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    complaint_ref = models.BigIntegerField(_("转成的投诉编号"), null=True, blank=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见簿留言")
        verbose_name_plural = _("意见簿留言")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["center", "status"], name="opinion_center_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="opinion_rating_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} #{self.pk}"

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    @property
    def contact_masked(self) -> str:
        """Masked like a mobile when it is one; other contacts (e-mail, WeChat) keep only their first 3 characters."""
        value = self.contact
        if value.isdigit() or len(value) <= 3:
            return mask_mobile(value)
        return value[:3] + "****"
