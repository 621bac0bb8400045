"""Load the official working-day calendar of a year: ``manage.py load_holidays --year 2027 [--replace]``.

The State Council announces next year's holidays and adjusted working days (调休) each November; upgrade the pinned
``chinesecalendar`` package, then run this command. Head office's own edits of that year are kept unless
``--replace`` is given. Audited (source ``command:load_holidays``).
"""
from django.core.management.base import CommandError
from django.db import transaction

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.calendar import load_official_calendar, official_years
from wealthdesk.core.commands import AuditedCommand


class Command(AuditedCommand):
    help = "Load the official public holidays and adjusted working days of a year from the chinesecalendar package."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="the year to load, e.g. 2027")
        parser.add_argument("--replace", action="store_true",
                            help="replace the year's days (head office's edits included) by the official ones")

    def handle(self, *args, year, replace, **options):
        known = official_years()
        if year not in known:
            raise CommandError(
                f"The installed chinesecalendar package has no official schedule for {year} "
                f"(it knows {', '.join(map(str, known)) or 'none'} from 2025). Upgrade the package once the "
                f"State Council has published it, or enter the days on the settings page.")
        with transaction.atomic():
            counts = load_official_calendar(year, replace=replace)
            audit_record(actor=None, action=AuditAction.IMPORT, detail={"calendar_year": year, **counts})
        self.stdout.write(self.style.SUCCESS(
            f"{year}: {counts['official']} official days, {counts['created']} added"
            + (f", {counts['replaced']} replaced" if replace else ", existing days kept")))
