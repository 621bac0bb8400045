"""Raise the access alerts of a day (default today; run it from cron, e.g. hourly, and once after midnight for
the day before)."""
from django.core.management.base import CommandError
from django.utils import timezone

from wealthdesk.core.commands import AuditedCommand
from wealthdesk.core.dates import parse_date_param


class Command(AuditedCommand):
    help = "Scan one day's audit rows and sign-in failures for access alerts (security officer)."

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="YYYY-MM-DD (default today)")

    def handle(self, *args, **options):
        from wealthdesk.security.alerts import scan

        try:
            day = parse_date_param(options["date"], name="date") if options["date"] else timezone.localdate()
        except Exception as exc:
            raise CommandError(f"--date: {exc}") from None
        raised = scan(day)
        self.stdout.write(f"{day}: {len(raised)} new alert(s)")
