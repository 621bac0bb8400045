"""``python manage.py scan_alerts [--date YYYY-MM-DD]``: run the large-movement rules for one day (R6)."""
import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from wealthdesk.core.commands import AuditedCommand


class Command(AuditedCommand):
    help = "按预警规则扫描某一天的交易流水和日终余额，生成大额资金异动预警（R6）。默认扫描昨天。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="数据日期 YYYY-MM-DD（默认昨天）")

    def handle(self, *args, **options):
        from wealthdesk.alerts.services import alerts_scan

        raw = options.get("date")
        if raw:
            try:
                day = dt.date.fromisoformat(raw)
            except ValueError:
                raise CommandError(f"日期格式错误：{raw}，应为 YYYY-MM-DD。")
        else:
            day = timezone.localdate() - dt.timedelta(days=1)
        counts = alerts_scan(as_of=day)
        total = sum(counts.values())
        detail = "，".join(f"{k}={v}" for k, v in counts.items())
        self.stdout.write(f"{day:%Y-%m-%d} 新增预警 {total} 条（{detail}）")
