"""Build the AUM summary of the dashboards for the days the current period needs (run after the daily load, so
that the first reader does not pay for it; the dashboards rebuild a stale day themselves anyway)."""
from django.utils import timezone

from wealthdesk.core.commands import AuditedCommand
from wealthdesk.dashboards.summary import aum_days, ensure_days


class Command(AuditedCommand):
    help = "为经营看板汇总各理财中心的每日资产（日、月、年变动所需的日期）"

    def handle(self, *args, **options):
        days = aum_days(timezone.localdate())
        ensure_days(days.all() if days else [])
        self.stdout.write(f"dashboards: {len(days.all()) if days else 0} days summarised")
