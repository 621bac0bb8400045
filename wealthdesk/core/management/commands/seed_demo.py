"""Load the demo data: ``manage.py seed_demo --size small|medium|large [--seed N]`` (idempotent)."""
import datetime as dt
import time

from django.utils import timezone

from wealthdesk.core.commands import AuditedCommand
from wealthdesk.core.seeding import SIZES, SeedContext, run_seed


class Command(AuditedCommand):
    help = "Load deterministic demo data (Chinese names); running it again keeps the existing data."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="the demo's 'today' (YYYY-MM-DD); defaults to the real date")

    def handle(self, *args, size, seed, today, **options):
        started = time.perf_counter()
        ctx = SeedContext(size=size, seed=seed, today=today or timezone.localdate(), stdout=self.stdout)
        self.stdout.write(f"seed_demo --size {size} --seed {seed}")
        run_seed(ctx)
        from wealthdesk.core.summaries import rebuild

        rebuild()  # the seeds write with COPY / bulk_create: the roll-up summaries are built once at the end
        self.stdout.write(self.style.SUCCESS(f"demo data ready in {time.perf_counter() - started:.1f}s"))
