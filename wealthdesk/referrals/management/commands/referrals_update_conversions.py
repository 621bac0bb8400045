"""Mark referrals converted from the loaded balances (R17 quality); run daily after the balance load."""
import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from wealthdesk.core.commands import AuditedCommand
from wealthdesk.referrals.services import referrals_update_conversions


class Command(AuditedCommand):
    help = "推介转化计算：推介后90天内达到优质客户级别或资产增加达到标准的推介记为已转化"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", default="", help="计算日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):
        try:
            as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        except ValueError:
            raise CommandError("--as-of 应为 YYYY-MM-DD") from None
        result = referrals_update_conversions(as_of=as_of)
        self.stdout.write(f"converted by AUM: {result['aum']}, by tier: {result['tier']}")
