"""One piece of background work (issue 16): a core-banking load, an alert scan, a daily refresh.

The row is the job's single source of truth — state, progress and result — whether a Celery worker runs it or
the request that asked for it runs it inline, so the user's progress page and the retry logic never depend on a
result backend. ``key`` makes a job idempotent: asking twice for the same work (the same file, the same day's
scan) returns the first job instead of doing the work twice.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.scoping import ScopedQuerySet, scope_for

from .choices import JobStatus


class BackgroundJobQuerySet(ScopedQuerySet):
    """Everyone sees the jobs they started; the center head and upper levels those of their unit's subtree."""

    scope_unit_field = "unit"
    scope_owner_field = "created_by"

    def visible_to(self, user):
        mine = Q(created_by_id=user.pk)
        base = self.scope_q(scope_for(user))
        return self.filter(mine if base is None else mine | base)


class BackgroundJob(TimeStampedModel):
    kind = models.CharField(_("任务类型"), max_length=48, db_index=True)
    key = models.CharField(_("幂等键"), max_length=128, unique=True)
    status = models.CharField(_("状态"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED,
                              db_index=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    payload = models.BinaryField(_("上传内容"), null=True, blank=True, editable=False)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总量"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("机构"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = BackgroundJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "created_at"], name="job_creator_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def label(self) -> str:
        from .registry import job_kinds

        kind = job_kinds().get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
