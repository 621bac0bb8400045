"""Answer attachments (R4): PDF or image only (the file's first bytes decide, not its name), size-capped by the
parameter ``consultation.attachment_max_kb``; always served as a download, never inline."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wealthdesk.core.params import get_param

SIGNATURES = [(b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg")]


def sniff(head: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def check_upload(upload) -> tuple:
    """``(upload, content_type, size)`` or a ValidationError on ``attachments`` naming the file and the reason."""
    limit = int(get_param("consultation.attachment_max_kb")) * 1024
    name = (getattr(upload, "name", "") or "")[-60:]
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"attachments": [_("附件“%(name)s”：文件为空。") % {"name": name}]})
    if size > limit:
        raise ValidationError({"attachments": [_("附件“%(name)s”：超过大小上限 %(kb)s KB。") % {
            "name": name, "kb": limit // 1024}]})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError({"attachments": [_("附件“%(name)s”：只能上传 PDF 或图片（PNG、JPEG）。") % {"name": name}]})
    return upload, content_type, size
