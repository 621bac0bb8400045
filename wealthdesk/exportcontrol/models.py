"""A request to export customer data above the threshold (GB/T 35273 §7.1; JR/T 0171): who asks, for what
(the export's URL, title, filters and row count, taken from the export itself), why, who decided, and the one
download it allows within the window."""
from urllib.parse import unquote

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.concurrency import VersionedModel
from wealthdesk.core.masking import mask_identifiers_in_text
from wealthdesk.core.scoping import ScopedQuerySet

from .choices import RequestStatus


class ExportRequestQuerySet(ScopedQuerySet):
    """The requester sees their own requests; heads and upper levels those of their unit's subtree."""

    scope_unit_field = "unit"
    scope_owner_field = "requester"

    def scope_q(self, scope):
        """Everyone sees their own requests too (an exporter without a reach into customers at large, e.g. the
        system administrator's core-banking rejects)."""
        q = super().scope_q(scope)
        if scope.user_id is None:
            return q
        own = Q(requester_id=scope.user_id)
        return own if q is None else q | own


class ExportRequest(VersionedModel):
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                  related_name="export_requests")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("申请人机构"), on_delete=models.PROTECT,
                             related_name="+")
    title = models.CharField(_("导出名称"), max_length=200)
    url = models.CharField(_("导出链接"), max_length=1000)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("行数"))
    reason = models.CharField(_("导出理由"), max_length=500)
    status = models.CharField(_("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING,
                              db_index=True)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    comment = models.CharField(_("审批意见"), max_length=500, blank=True)
    download_until = models.DateTimeField(_("下载截止时间"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("下载时间"), null=True, blank=True)
    export_id = models.CharField(_("文件编号"), max_length=32, blank=True, db_index=True)

    objects = ExportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("导出审批申请")
        verbose_name_plural = _("导出审批申请")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["unit", "status"], name="exportreq_unit_status_idx"),
                   models.Index(fields=["requester", "requested_at"], name="exportreq_requester_idx")]

    def __str__(self) -> str:
        return f"{self.title}（{self.rows}）"

    @property
    def shown_filters(self) -> dict:
        """The filters as shown on pages and in the API: an ID number or mobile typed in a search box is masked
        (R28); the stored URL keeps them, to replay the export."""
        return {k: mask_identifiers_in_text(str(v)) for k, v in (self.filters or {}).items()}

    @property
    def shown_url(self) -> str:
        return mask_identifiers_in_text(unquote(self.url))

    @property
    def can_download_now(self) -> bool:
        return (self.status == RequestStatus.APPROVED and self.downloaded_at is None
                and self.download_until is not None and timezone.now() <= self.download_until)
