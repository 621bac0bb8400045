"""Reports that go up the line on core's submission chain (R18, R19, R24, R31, R35).

One model holds every kind (``kind``): a client manager's monthly customer & market report (R18) and semiannual
analysis (R19), and the center's quarterly needs analysis (R24), complaint monthly statistics (R31) and operating
report (R35). ``figures`` are pre-filled from the system; ``body`` holds the free text by section. The chain's
state, version, receiver, due date and frozen copy come from ``core.submission.Submission``.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import Reach
from wealthdesk.core.scoping import ScopedQuerySet
from wealthdesk.core.submission import Submission, SubmissionQuerySet
from wealthdesk.customers.choices import Tier

from .choices import ReportKindChoice, TopicStatus


class ReportQuerySet(SubmissionQuerySet):
    scope_unit_field = "unit"
    scope_owner_field = "author"
    kind_field = "kind"


class Report(Submission):
    """One report of one kind, unit (center), period and — for a client manager's reports — author."""

    kind = models.CharField(_("报告种类"), max_length=24, choices=ReportKindChoice.choices, db_index=True)
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("报送机构"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撰写人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("期间开始"))
    period_end = models.DateField(_("期间结束"))
    title = models.CharField(_("标题/选题"), max_length=120, blank=True)
    body = models.JSONField(_("正文"), default=dict, blank=True)
    figures = models.JSONField(_("系统数据"), default=dict, blank=True)
    tier = models.CharField(_("涉及客户级别"), max_length=16, choices=Tier.choices, blank=True)
    product = models.CharField(_("涉及产品"), max_length=60, blank=True)
    topic_status = models.CharField(_("选题状态"), max_length=16, choices=TopicStatus.choices, blank=True,
                                    default=TopicStatus.NONE)
    topic_note = models.TextField(_("负责人选题意见"), blank=True)
    topic_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("选题批准人"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    material = models.TextField(_("负责人提供的资料"), blank=True)
    suggestion = models.ForeignKey("reports.TopicSuggestion", verbose_name=_("来自负责人建议的选题"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="reports")

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("报告")
        verbose_name_plural = _("报告")
        ordering = ["-period_start", "kind", "id"]
        indexes = [
            models.Index(fields=["unit", "kind", "period_start"], name="report_unit_kind_period_idx"),
            models.Index(fields=["status", "kind"], name="report_status_kind_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["kind", "unit", "period_start"], condition=Q(author__isnull=True),
                                    name="report_unit_once_per_period"),
            models.UniqueConstraint(fields=["kind", "author", "period_start"], condition=Q(author__isnull=False),
                                    name="report_author_once_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="report_period_ordered"),
        ]

    def __str__(self) -> str:
        who = f" {self.author}" if self.author_id else ""
        return f"{self.get_kind_display()} {self.unit}{who} {self.period_start:%Y-%m}"

    def submission_content(self) -> dict:
        return {"title": self.title, "body": dict(self.body), "figures": self.figures, "tier": self.tier,
                "product": self.product, "material": self.material}


class TopicSuggestionQuerySet(ScopedQuerySet):
    """Suggestions are read by the center's staff who write reports (and by reach over the center)."""

    scope_unit_field = "unit"
    scope_owner_field = None

    def scope_q(self, scope):
        q = super().scope_q(scope)
        if scope.reach >= Reach.OWN and scope.unit_id:
            own = Q(unit_id=scope.unit_id)
            return own if q is None else q | own
        return q


class TopicSuggestion(TimeStampedModel):
    """A topic the center head suggests for the semiannual analysis (R19), with material to start from."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("半年度"))
    title = models.CharField(_("建议选题"), max_length=120)
    material = models.TextField(_("参考资料"), blank=True)

    objects = TopicSuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("半年度分析建议选题")
        verbose_name_plural = _("半年度分析建议选题")
        ordering = ["-period_start", "-id"]

    def __str__(self) -> str:
        return self.title
