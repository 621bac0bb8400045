"""``manage.py export_trace <file>``: who took a (leaked) export file, read back from its hidden watermark.

The export identifier is read from the file's properties (xlsx ``identifier``/``keywords``, PDF ``Keywords``,
csv: the watermark line), then the file's SHA-256 is compared with the audit rows; the command names the audit
row, the person, their unit, when, which export and, for an approved export, the approval (issue 15; GB/T 35273
§7.1). Exit status 1 when the file cannot be traced.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wealthdesk.core.audit import AuditAction, audit_context, audit_record
from wealthdesk.core.exports import EXPORT_ID_PREFIX
from wealthdesk.core.models import AuditLog

_ID = re.compile(re.escape(EXPORT_ID_PREFIX) + r"([0-9a-f]{32})")


def export_id_of(content: bytes) -> str:
    """The export identifier hidden in an xlsx, PDF or csv file ('' when none is found)."""
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                core = archive.read("docProps/core.xml").decode("utf-8", "replace")
        except (zipfile.BadZipFile, KeyError):
            core = ""
        found = _ID.search(core) or re.search(r"<dc:identifier>([0-9a-f]{32})</dc:identifier>", core)
        return found.group(1) if found else ""
    if content[:5] == b"%PDF-":
        from pypdf import PdfReader

        try:
            keywords = str((PdfReader(io.BytesIO(content)).metadata or {}).get("/Keywords", ""))
        except Exception:
            keywords = ""
        found = _ID.search(keywords)
        return found.group(1) if found else ""
    found = _ID.search(content.decode("utf-8", "replace"))
    return found.group(1) if found else ""


def trace(content: bytes) -> tuple[str, str, AuditLog | None]:
    """(export id, sha256, the audit row of the export or None)."""
    export_id, digest = export_id_of(content), hashlib.sha256(content).hexdigest()
    rows = AuditLog.objects.filter(action=AuditAction.EXPORT)
    row = rows.filter(detail__export_id=export_id).order_by("pk").first() if export_id else None
    if row is None:
        row = rows.filter(detail__sha256=digest).order_by("pk").first()
    return export_id, digest, row


class Command(BaseCommand):
    help = "导出文件溯源：读出文件中的导出编号，找到对应的审计记录与导出人"

    def add_arguments(self, parser):
        parser.add_argument("file", help="导出的 xlsx / pdf / csv 文件")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        content = path.read_bytes()
        export_id, digest, row = trace(content)
        self.stdout.write(f"文件：{path.name}")
        self.stdout.write(f"SHA-256：{digest}")
        self.stdout.write(f"导出编号：{export_id or '（未找到）'}")
        with audit_context(source="command:export_trace"):
            audit_record(actor=None, action=AuditAction.VIEW, detail={
                "export_trace": path.name[:200], "export_id": export_id, "sha256": digest,
                "found": row.pk if row else None})
        if row is None:
            raise CommandError("未找到该文件的导出审计记录：文件可能不是本系统导出的，或已被改动。")
        detail = row.detail or {}
        actor = row.actor
        who = f"{getattr(actor, 'full_name', '') or row.actor_name}（{row.actor_name}）"
        unit = getattr(row.unit, "name", "") if row.unit_id else ""
        self.stdout.write(f"审计记录：#{row.pk}  {row.at:%Y-%m-%d %H:%M:%S}")
        self.stdout.write(f"导出人：{who}  机构：{unit or '—'}")
        self.stdout.write(f"导出：{detail.get('export', '')}  行数：{detail.get('rows', '')}  "
                          f"文件名：{detail.get('filename', '')}")
        self.stdout.write("文件与审计记录的 SHA-256 " + ("一致" if detail.get("sha256") == digest else "不一致（文件已被改动）"))
        if detail.get("approval"):
            self.stdout.write(f"导出审批申请：#{detail['approval']}")
