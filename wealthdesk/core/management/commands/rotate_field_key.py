"""Re-encrypt personal data under the current field key, or recompute the blind indexes (issue 15).

    manage.py rotate_field_key                 # every row not under the current key of WD_FIELD_KEYS
    manage.py rotate_field_key --check         # only count them (exit status 1 if any is left)
    manage.py rotate_field_key --reindex       # recompute blind indexes / tails (after WD_BLIND_INDEX_KEY changed)

Batches of ``--batch`` rows, each committed on its own: an interrupted run is resumed by running it again (rows
already under the current key are not selected), and a second run changes nothing. The procedure is in
docs/security.md ("Field encryption keys").
"""
from __future__ import annotations

from django.apps import apps
from django.core.management.base import CommandError
from django.db import connections

from wealthdesk.core import fieldcrypto
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.commands import AuditedCommand
from wealthdesk.core.field_batches import process_table
from wealthdesk.core.fields import encrypted_fields


def encrypted_models() -> list:
    return [m for m in apps.get_models() if encrypted_fields(m)]


def stale_count(connection, model) -> int:
    """Rows of ``model`` with a value not under the current key."""
    qn = connection.ops.quote_name
    cols = [qn(f.column) for f in encrypted_fields(model)]
    prefix = fieldcrypto.current_key_id().replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + ":%"
    where = " OR ".join(f"({c} <> '' AND {c} NOT LIKE %s ESCAPE '\\')" for c in cols)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {qn(model._meta.db_table)} WHERE {where}", [prefix] * len(cols))
        return cursor.fetchone()[0]


class Command(AuditedCommand):
    help = "把个人信息密文改用当前密钥重新加密（或重算检索索引），分批、可中断续跑、重复运行不改变数据。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help="每批行数（默认 2000）")
        parser.add_argument("--reindex", action="store_true", help="按 WD_BLIND_INDEX_KEY 重算检索索引")
        parser.add_argument("--check", action="store_true", help="只统计仍未使用当前密钥的行数")
        parser.add_argument("--database", default="default")

    def handle(self, *args, batch: int, reindex: bool, check: bool, database: str, **options):
        if batch < 1:
            raise CommandError("--batch 必须是正整数")
        try:
            ring = fieldcrypto.key_ring()
        except Exception as exc:  # ImproperlyConfigured: say which setting is wrong and stop
            raise CommandError(str(exc)) from exc
        connection = connections[database]
        mode = "reindex" if reindex else "rotate"
        self.stdout.write(f"当前密钥 {ring.current_id}；密钥环 {', '.join(ring.keys)}；模式 {mode}")
        total_left = 0
        for model in encrypted_models():
            label = model._meta.label
            if check:
                left = stale_count(connection, model)
                total_left += left
                self.stdout.write(f"{label}: {left} 行未使用当前密钥")
                continue

            def progress(done: int, last_pk: int, label=label) -> None:
                self.stdout.write(f"{label}: 已处理至 id {last_pk}，已改写 {done} 行")

            written = process_table(connection, model, mode=mode, batch=batch, progress=progress)
            self.stdout.write(f"{label}: 完成，改写 {written} 行")
            if written:
                audit_record(actor=None, action=AuditAction.CHANGE, detail={
                    "operation": "rotate_field_key", "mode": mode, "model": label, "rows": written,
                    "key_id": ring.current_id})
        if check and total_left:
            raise CommandError(f"仍有 {total_left} 行未使用当前密钥 {ring.current_id}")
