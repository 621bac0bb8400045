"""The narrative a head writes beside each semiannual analysis (R36), one per analysis, unit and half-year.

The figures themselves are never stored: every analysis is computed live from the customer, holding, transaction
and survey tables (``selectors``); only the head's own words are kept, versioned (DESIGN rule 13).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.concurrency import VersionedModel
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import Reach
from wealthdesk.core.scoping import ScopedQuerySet

from .choices import AnalysisKind


class NarrativeQuerySet(ScopedQuerySet):
    """A narrative is read in the unit's subtree by the positions that read the analyses (center head and above)."""

    scope_unit_field = "unit"
    scope_owner_field = None
    scope_min_reach = Reach.SUBTREE


class AnalysisNarrative(VersionedModel, TimeStampedModel):
    """The head's analysis and conclusions for one of the six analyses of one unit and half-year (R36)."""

    kind = models.CharField(_("分析种类"), max_length=16, choices=AnalysisKind.choices)
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("半年度"))
    body = models.TextField(_("分析意见"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = NarrativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("半年度分析意见")
        verbose_name_plural = _("半年度分析意见")
        ordering = ["-period_start", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "unit", "period_start"], name="analysisnarrative_once_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit_id} {self.period_start:%Y-%m}"


class SnapshotQuerySet(ScopedQuerySet):
    """A stored analysis is read by the same positions as its narrative, in the unit's subtree."""

    scope_unit_field = "unit"
    scope_owner_field = None
    scope_min_reach = Reach.SUBTREE


class AnalysisSnapshot(TimeStampedModel):
    """One analysis of one unit and half-year as computed by a background job (issue 16): the figures, tables and
    charts (``result``, the same dict the page, the API and the export render), when they were computed and the
    day the data stood at. A closed half-year is computed once; the head may ask for a recomputation (``job`` is
    the last one asked for: while it is queued or running a second request is refused)."""

    kind = models.CharField(_("分析种类"), max_length=16, choices=AnalysisKind.choices)
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("半年度"))
    result = models.JSONField(_("分析结果"), null=True, blank=True)
    as_of = models.DateField(_("数据截至"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("计算发起人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey("jobs.BackgroundJob", verbose_name=_("计算任务"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    runs = models.PositiveIntegerField(_("计算次数"), default=0)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("半年度分析结果")
        verbose_name_plural = _("半年度分析结果")
        ordering = ["-period_start", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "unit", "period_start"], name="analysissnapshot_once_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit_id} {self.period_start:%Y-%m}"

    @property
    def computing(self) -> bool:
        return self.job is not None and self.job.status in ("queued", "running")


class TierDay(models.Model):
    """A day whose tiers are kept in ``TierAtDay`` (a half-year boundary): taken once, set-based, by the first
    analysis job that needs it, so the analyses join the tier at a past date instead of looking it up per row."""

    day = models.DateField(_("日期"), unique=True)
    taken_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    customers = models.PositiveIntegerField(_("客户数"), default=0)

    class Meta:
        verbose_name = _("客户级别快照日")
        verbose_name_plural = _("客户级别快照日")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"


class TierAtDay(models.Model):
    """A customer's tier at the end of a ``TierDay`` (R2 tier history read once; '' = not yet graded)."""

    day = models.DateField(_("日期"))
    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.CASCADE,
                                 related_name="analysis_tiers", db_constraint=False)
    tier = models.CharField(_("客户级别"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("客户某日级别")
        verbose_name_plural = _("客户某日级别")
        constraints = [models.UniqueConstraint(fields=["day", "customer"], name="tieratday_day_customer_uniq")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.day:%Y-%m-%d} {self.tier}"
