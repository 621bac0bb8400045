"""``manage.py rebuild_summaries [--check]``: rebuild the maintained roll-up summaries from the base tables
(idempotent; run after a restore or a migration), or ``--check`` that they equal the live computation."""
import time

from django.core.management.base import CommandError

from wealthdesk.core.commands import AuditedCommand
from wealthdesk.core.summaries import check, rebuild


class Command(AuditedCommand):
    help = "Rebuild the roll-up summaries (customer counts, contact coverage); --check compares them with the data."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only compare, change nothing; exit 1 if they differ")

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options.get("check"):
            bad = {key: diffs for key, diffs in check().items() if diffs}
            for key, diffs in bad.items():
                self.stdout.write(f"{key}: {len(diffs)} differences, e.g. {diffs[:3]}")
            if bad:
                raise CommandError("summaries differ from the data: run manage.py rebuild_summaries")
            self.stdout.write(self.style.SUCCESS(f"summaries equal the data ({time.perf_counter() - started:.1f}s)"))
            return
        for key, rows in rebuild().items():
            self.stdout.write(f"{key}: {rows} rows")
        self.stdout.write(self.style.SUCCESS(f"summaries rebuilt in {time.perf_counter() - started:.1f}s"))
