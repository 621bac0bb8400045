"""Remind holders (and the center's keepers) of paper files overdue for return (R29); run daily by cron."""
import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from wealthdesk.archive.services import paper_files_remind_overdue
from wealthdesk.core.commands import AuditedCommand


class Command(AuditedCommand):
    help = "纸质档案逾期催还：提醒借阅人和本中心档案保管员（每天一次）"

    def add_arguments(self, parser):
        parser.add_argument("--today", default="", help="日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        except ValueError:
            raise CommandError("--today 应为 YYYY-MM-DD") from None
        self.stdout.write(f"reminded: {paper_files_remind_overdue(today=today)}")
