"""What an uploaded file really is, by its first bytes (never by its name or the browser's content type).

Only PDF, PNG and JPEG are archived; each is served with its own content type as an attachment (never inline,
never as HTML).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    key: str
    content_type: str
    extension: str


PDF = FileKind("pdf", "application/pdf", ".pdf")
PNG = FileKind("png", "image/png", ".png")
JPEG = FileKind("jpeg", "image/jpeg", ".jpg")
KINDS = {k.key: k for k in (PDF, PNG, JPEG)}

_MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))


def sniff(head: bytes) -> FileKind | None:
    """The kind of file that starts with ``head`` (at least 8 bytes), or ``None`` if it is not one we archive."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None
