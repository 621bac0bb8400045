"""Customer archive custody (R28, R29): encrypted customer documents and paper files checked out and back in."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.concurrency import VersionedModel
from wealthdesk.core.masking import mask_identifiers_in_text
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.scoping import ScopedQuerySet

from .choices import DocumentType, PaperFileStatus


class ArchiveDocumentQuerySet(ScopedQuerySet):
    """A document belongs to its customer's center and their client manager (DESIGN rule 1): the client manager
    sees their own customers' documents, the team lead the team's, the keeper, the head and upper levels their
    subtree (what each may do with it — content or metadata only — is ``roles``)."""

    scope_unit_field = "customer__center"
    scope_owner_field = "customer__client_manager"

    def listing(self):
        """Without the encrypted bytes: lists and metadata never read the content."""
        return self.defer("content").select_related("customer", "uploaded_by")


class ArchiveDocument(TimeStampedModel):
    """One customer document held in the archive (R29), stored encrypted (R28, ``archive.crypto``).

    The type of file is checked by its first bytes (PDF, PNG, JPEG); the title of an ID copy is masked wherever it
    is listed, and its download is the audited reveal.
    """

    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.PROTECT,
                                 related_name="archive_documents")
    doc_type = models.CharField(_("资料类型"), max_length=24, choices=DocumentType.choices, db_index=True)
    title = models.CharField(_("资料名称"), max_length=120)
    file_kind = models.CharField(_("文件格式"), max_length=8)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("文件大小（字节）"))
    sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64)
    key_id = models.CharField(_("密钥标识"), max_length=16)
    content = models.BinaryField(_("加密内容"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                    related_name="+")

    objects = ArchiveDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户档案资料")
        verbose_name_plural = _("客户档案资料")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["customer", "-created_at"], name="archive_doc_customer_idx")]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="archive_doc_size_positive")]

    def __str__(self) -> str:
        return f"档案#{self.pk} {self.display_title}"

    @property
    def is_id_copy(self) -> bool:
        return self.doc_type == DocumentType.ID_COPY

    @property
    def display_title(self) -> str:
        """What lists show: an ID copy's title is masked (it may carry the ID number)."""
        if self.is_id_copy:
            return f"{self.get_doc_type_display()}（{mask_identifiers_in_text(self.title)}）"
        return self.title

    @property
    def filename(self) -> str:
        from .filetypes import KINDS

        ext = KINDS[self.file_kind].extension if self.file_kind in KINDS else ""
        return f"archive-{self.pk}{ext}"


class PaperFileQuerySet(ScopedQuerySet):
    """A paper file lies in its center; the client manager sees their own customers' files."""

    scope_unit_field = "center"
    scope_owner_field = "customer__client_manager"

    def out(self):
        return self.filter(status=PaperFileStatus.OUT)

    def overdue(self, today):
        return self.filter(status=PaperFileStatus.OUT, due_back_on__lt=today)


class PaperFile(VersionedModel, TimeStampedModel):
    """A customer's paper file in the keeper's cabinet (R29): in the archive, or checked out to a person.

    The current loan is denormalised here (holder, since, due back, purpose) so lists of what is out and overdue
    are one indexed query; each loan is also kept in ``PaperCheckout`` (the history)."""

    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.PROTECT,
                                 related_name="paper_files")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT,
                               related_name="paper_files")
    reference = models.CharField(_("档案编号"), max_length=40)
    description = models.CharField(_("内容"), max_length=200, blank=True)
    location = models.CharField(_("存放位置"), max_length=60, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=PaperFileStatus.choices, default=PaperFileStatus.IN)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("借阅人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    out_since = models.DateTimeField(_("借出时间"), null=True, blank=True)
    due_back_on = models.DateField(_("应归还日期"), null=True, blank=True)
    purpose = models.CharField(_("借阅用途"), max_length=200, blank=True)

    objects = PaperFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("纸质档案")
        verbose_name_plural = _("纸质档案")
        ordering = ["reference", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "reference"], name="paper_file_reference_unique"),
            models.CheckConstraint(condition=Q(status=PaperFileStatus.IN) | Q(holder__isnull=False, due_back_on__isnull=False),
                                   name="paper_file_out_has_holder"),
        ]
        indexes = [models.Index(fields=["center", "status", "due_back_on"], name="paper_file_out_idx")]

    def __str__(self) -> str:
        return f"{self.reference}"

    def is_overdue(self, today) -> bool:
        return self.status == PaperFileStatus.OUT and self.due_back_on is not None and self.due_back_on < today


class PaperCheckoutQuerySet(ScopedQuerySet):
    scope_unit_field = "paper_file__center"
    scope_owner_field = "paper_file__customer__client_manager"


class PaperCheckout(TimeStampedModel):
    """One loan of a paper file: to whom, by which keeper, when, due back, why, and when it came back (R29)."""

    paper_file = models.ForeignKey(PaperFile, verbose_name=_("纸质档案"), on_delete=models.PROTECT,
                                   related_name="checkouts")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("借阅人"), on_delete=models.PROTECT,
                               related_name="+")
    out_at = models.DateTimeField(_("借出时间"))
    due_back_on = models.DateField(_("应归还日期"), db_index=True)
    purpose = models.CharField(_("借阅用途"), max_length=200)
    checked_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("借出经办人"),
                                       on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("归还经办人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    reminded_on = models.DateField(_("最近催还日期"), null=True, blank=True)

    objects = PaperCheckoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("纸质档案借阅")
        verbose_name_plural = _("纸质档案借阅")
        ordering = ["-out_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["paper_file"], condition=Q(returned_at__isnull=True),
                                    name="paper_checkout_one_open"),
        ]
        indexes = [models.Index(fields=["center", "due_back_on"], name="paper_checkout_center_due_idx")]

    def __str__(self) -> str:
        return f"借阅#{self.pk} {self.paper_file_id}"
