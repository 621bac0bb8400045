"""Up-and-down linkage (R5, R40): cases handed up and back, private-banking joint service, the VIP bulletin.

* ``Case`` – a center hands a case (a customer, a complaint, a problem) up to the sub-branch, branch or head office
  and gets it back with an answer (``core.escalation``: one mechanism with R12 problems); an owner at each level
  (``owner``: who took it where it is held now), a due date per level from the service level (``core.deadlines``).
* ``JointTeam`` / ``JointPlanItem`` – a private-banking customer's head-office relationship manager beside the
  center's client manager, and their shared plan of reviews and meetings (R5, R40 "private banking").
* ``BulletinIssue`` / ``BulletinArticle`` / ``BulletinReceipt`` – the 《理财金账户贵宾专刊》 (R40): head office
  publishes issues to chosen tiers and units; client managers record which customers received one.
* ``MarketInfoReport`` – a branch's quarterly regional market and customer information for head office (R40), a
  kind on ``core.submission``.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.escalation import EscalatableModel
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import ScopedQuerySet, scope_for
from wealthdesk.core.submission import Submission, SubmissionQuerySet

from .choices import CaseStatus, IssueStatus, PlanItemKind, ServiceLevel, SubjectKind


class CaseQuerySet(ScopedQuerySet):
    """The center's head and the levels above see the center's cases (subtree); the one who opened it sees it."""

    scope_unit_field = "center"
    scope_owner_field = "opened_by"


class Case(EscalatableModel, TimeStampedModel):
    """A case a center hands up the tree and gets back with an answer (R5); branch service answers it within its
    service level (R40)."""

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT,
                               related_name="+")
    subject_kind = models.CharField(_("事项类型"), max_length=16, choices=SubjectKind.choices)
    subject_type = models.ForeignKey(ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT,
                                     related_name="+")
    subject_id = models.PositiveBigIntegerField(_("对象编号"))
    title = models.CharField(_("事项"), max_length=200)
    question = models.TextField(_("请求上级解决的问题"))
    service_level = models.CharField(_("服务等级"), max_length=16, choices=ServiceLevel.choices,
                                     default=ServiceLevel.STANDARD)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                  related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("本级负责人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    close_note = models.TextField(_("办结说明"), blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("上下联动事项")
        verbose_name_plural = _("上下联动事项")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["holder_unit", "escalation_state"], name="case_holder_idx"),
                   models.Index(fields=["center", "status"], name="case_center_status_idx"),
                   models.Index(fields=["subject_type", "subject_id"], name="case_subject_idx"),
                   models.Index(fields=["-created_at", "-id"], name="case_recent_idx")]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today) -> bool:
        return self.status == CaseStatus.REFERRED and self.due_on is not None and self.due_on < today


class JointTeamQuerySet(ScopedQuerySet):
    """The customer's own scope (client manager, team lead, head, upper levels) and the joint relationship manager."""

    scope_unit_field = "customer__center"
    scope_owner_field = "customer__client_manager"
    joint_field = "hq_manager_id"

    def scope_q(self, scope):
        q = super().scope_q(scope)
        if scope.user_id is None or not scope.has(Role.CLIENT_MANAGER):
            return q
        mine = Q(**{self.joint_field: scope.user_id})
        return mine if q is None else q | mine


class JointTeam(TimeStampedModel):
    """A private-banking customer served jointly: the center's client manager and a head-office relationship
    manager (R5)."""

    customer = models.OneToOneField("customers.Customer", verbose_name=_("客户"), on_delete=models.PROTECT,
                                    related_name="joint_team")
    hq_manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("总行私人银行客户经理"),
                                   on_delete=models.PROTECT, related_name="joint_customers")
    started_on = models.DateField(_("联合服务开始日期"))
    active = models.BooleanField(_("有效"), default=True)
    note = models.TextField(_("服务约定"), blank=True)

    objects = JointTeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("私人银行联合服务团队")
        verbose_name_plural = _("私人银行联合服务团队")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["hq_manager", "active"], name="jointteam_hq_idx")]

    def __str__(self) -> str:
        return f"{self.customer_id}"


class JointPlanQuerySet(JointTeamQuerySet):
    scope_unit_field = "team__customer__center"
    scope_owner_field = "team__customer__client_manager"
    joint_field = "team__hq_manager_id"


class JointPlanItem(TimeStampedModel):
    """One entry of the shared joint service plan: a review or a meeting with its date and outcome."""

    team = models.ForeignKey(JointTeam, verbose_name=_("联合服务团队"), on_delete=models.CASCADE,
                             related_name="plan_items")
    kind = models.CharField(_("类型"), max_length=16, choices=PlanItemKind.choices)
    title = models.CharField(_("内容"), max_length=200)
    planned_on = models.DateField(_("计划日期"))
    held_on = models.DateField(_("完成日期"), null=True, blank=True)
    outcome = models.TextField(_("结果"), blank=True)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("牵头人"), on_delete=models.PROTECT,
                             related_name="+")

    objects = JointPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("联合服务计划")
        verbose_name_plural = _("联合服务计划")
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return self.title


BULLETIN_READERS = frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD, Role.SUBBRANCH_SERVICE,
                              Role.BRANCH_SERVICE, Role.HQ_SERVICE})
BULLETIN_EDITORS = frozenset({Role.HQ_SERVICE})


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Head office's editors see every issue; other staff the published issues sent to a unit at or above
        their own, and (upper levels) those sent into their subtree. No customer data is held here."""
        scope = scope_for(user)
        if not scope.has(*BULLETIN_READERS) or not scope.unit_path:
            return self.none()
        if scope.has(*BULLETIN_EDITORS):
            return self.all()
        from wealthdesk.core.escalation import _ancestor_paths

        reach = Q(units__path__in=[*_ancestor_paths(scope.unit_path), scope.unit_path]) | Q(
            units__path__startswith=scope.unit_path)
        ids = self.model.objects.filter(reach, status=IssueStatus.PUBLISHED).values("pk")
        return self.filter(pk__in=ids)


class BulletinIssue(TimeStampedModel):
    """One issue of the 《理财金账户贵宾专刊》 (R40), published by head office to chosen tiers and units."""

    issue_no = models.CharField(_("期号"), max_length=20, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    tiers = models.JSONField(_("发送客户级别"), default=list, blank=True)
    units = models.ManyToManyField("orgs.OrgUnit", verbose_name=_("发送机构"), blank=True, related_name="+")
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("理财金账户贵宾专刊")
        verbose_name_plural = _("理财金账户贵宾专刊")
        ordering = ["-issue_no", "-id"]

    def __str__(self) -> str:
        return f"{self.issue_no} {self.title}"


class BulletinArticle(TimeStampedModel):
    """An article of an issue."""

    issue = models.ForeignKey(BulletinIssue, verbose_name=_("期刊"), on_delete=models.CASCADE,
                              related_name="articles")
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    title = models.CharField(_("文章标题"), max_length=200)
    body = models.TextField(_("正文"))

    class Meta:
        verbose_name = _("专刊文章")
        verbose_name_plural = _("专刊文章")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class BulletinReceiptQuerySet(ScopedQuerySet):
    scope_unit_field = "center"
    scope_owner_field = "customer__client_manager"


class BulletinReceipt(TimeStampedModel):
    """A customer received an issue (recorded by the client manager)."""

    issue = models.ForeignKey(BulletinIssue, verbose_name=_("期刊"), on_delete=models.PROTECT,
                              related_name="receipts")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.PROTECT,
                                 related_name="+")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT,
                               related_name="+")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                  related_name="+")

    objects = BulletinReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("专刊送达记录")
        verbose_name_plural = _("专刊送达记录")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["issue", "customer"], name="bulletinreceipt_issue_customer_uniq")]
        indexes = [models.Index(fields=["issue", "center"], name="bulrec_issue_center_idx")]

    def __str__(self) -> str:
        return f"{self.issue_id}/{self.customer_id}"


class MarketInfoReport(Submission):
    """A branch's regional market and customer information for head office (R40: "Branch: market and customer
    information, reports to head office"), quarterly on core's submission chain: the branch's customer-service
    section writes and submits it, head office's customer-service office receives or returns it."""

    REPORT_KIND = "market_info"

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("分行"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("季度"), help_text=_("季度第一天"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    market = models.TextField(_("区域市场信息"), blank=True)
    customers = models.TextField(_("客户信息（核心客户关系）"), blank=True)
    competitors = models.TextField(_("同业动态"), blank=True)
    suggestions = models.TextField(_("对总行的建议"), blank=True)
    figures = models.JSONField(_("统计数据"), default=dict, blank=True)

    objects = SubmissionQuerySet.as_manager()

    TEXT_FIELDS = ("market", "customers", "competitors", "suggestions")

    class Meta:
        verbose_name = _("区域市场与客户信息报告")
        verbose_name_plural = _("区域市场与客户信息报告")
        ordering = ["-period_start", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "period_start"], name="marketinfo_unit_period_uniq")]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_label} 区域市场与客户信息报告"

    def submission_content(self) -> dict:
        return {"figures": self.figures, **{name: getattr(self, name) for name in self.TEXT_FIELDS}}
