"""Remind staff and their heads of quarterly career reviews overdue or due soon (R37); run daily."""
import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from wealthdesk.core.commands import AuditedCommand
from wealthdesk.core.params import get_param
from wealthdesk.development.services import remind_reviews


class Command(AuditedCommand):
    help = "职业目标季度回顾提醒：向员工及负责人发送逾期或即将到期的回顾提醒"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", default="", help="提醒日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):
        try:
            as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        except ValueError:
            raise CommandError("--as-of 应为 YYYY-MM-DD") from None
        count = remind_reviews(today=as_of, days=int(get_param("career.review_remind_days")))
        self.stdout.write(f"reminded reviews: {count}")
