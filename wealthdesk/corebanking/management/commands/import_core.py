"""``python manage.py import_core --kind balances FILE [--as-of YYYY-MM-DD] [--skip-bad-rows] --user hq_service``

The same load as the upload page and POST /api/v1/imports/ (R8, R29), audited as ``command:import_core``.
"""
import datetime
from pathlib import Path

from django.core.management.base import CommandError

from wealthdesk.core.commands import AuditedCommand
from wealthdesk.corebanking.choices import BatchStatus, ImportKind
from wealthdesk.corebanking.services import import_run
from wealthdesk.staff.models import User


class Command(AuditedCommand):
    help = "导入核心系统数据文件（客户、产品、持仓、日终余额、交易流水）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV（UTF-8 或 GBK）或 .xlsx 文件")
        parser.add_argument("--kind", required=True, choices=ImportKind.values)
        parser.add_argument("--as-of", dest="as_of", help="数据日期 YYYY-MM-DD")
        parser.add_argument("--skip-bad-rows", action="store_true", help="跳过错误行，其余照常导入")
        parser.add_argument("--user", default="hq_service", help="以哪个用户的身份导入（默认 hq_service）")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            actor = User.objects.get(username=opts["user"])
        except User.DoesNotExist:
            raise CommandError(f"用户不存在：{opts['user']}") from None
        as_of = None
        if opts["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(opts["as_of"])
            except ValueError:
                raise CommandError("--as-of 格式应为 YYYY-MM-DD") from None
        batch, created = import_run(actor=actor, kind=opts["kind"], data=path.read_bytes(), file_name=path.name,
                                    as_of=as_of, skip_bad_rows=opts["skip_bad_rows"], source="command")
        if not created:
            self.stdout.write(f"该文件已导入（批次 #{batch.pk}），未重复导入。")
            return
        self.stdout.write(f"批次 #{batch.pk}：{batch.get_status_display()}，共 {batch.rows_total} 行，"
                          f"导入 {batch.rows_loaded}，已存在 {batch.rows_skipped}，拒绝 {batch.rows_rejected}")
        for err in batch.errors[:50]:
            self.stdout.write(f"  第 {err['line']} 行 [{err['column']}] {err['reason']}")
        if batch.status == BatchStatus.REJECTED:
            raise CommandError("文件有错误，未导入任何数据。")
