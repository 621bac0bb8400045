"""Demo data orchestration. Each app may have a ``seed.py`` with ``def seed(ctx: SeedContext) -> None``;
``seed_demo`` calls them in ``LOCAL_APPS`` order. Each app's seed must be deterministic (use ``ctx.rng``
and ``ctx.faker``) and idempotent (skip what already exists).
"""
from __future__ import annotations

import datetime as dt
import importlib
import random
import time
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from faker import Faker

SIZES = {"small": 5_000, "medium": 100_000, "large": 1_000_000}
DEMO_PASSWORD = "WealthDesk-demo-2026"


@dataclass
class SeedContext:
    size: str
    seed: int
    today: dt.date
    stdout: object = None
    rng: random.Random = field(init=False)
    faker: Faker = field(init=False)
    shared: dict = field(default_factory=dict)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.faker = Faker("zh_CN")
        self.faker.seed_instance(self.seed)

    @property
    def customers(self) -> int:
        return SIZES[self.size]

    @property
    def is_postgres(self) -> bool:
        return connection.vendor == "postgresql"

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)


def run_seed(ctx: SeedContext) -> list[tuple[str, float]]:
    timings = []
    for app in settings.LOCAL_APPS:
        try:
            module = importlib.import_module(f"{app}.seed")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.seed":
                raise
            continue
        started = time.perf_counter()
        module.seed(ctx)
        analyze_app_tables(ctx, app)
        elapsed = time.perf_counter() - started
        timings.append((app, elapsed))
        ctx.log(f"  {app.rsplit('.', 1)[-1]}: {elapsed:.1f}s")
    started = time.perf_counter()
    if analyze_after_seed(ctx):
        elapsed = time.perf_counter() - started
        timings.append(("ANALYZE", elapsed))
        ctx.log(f"  ANALYZE: {elapsed:.1f}s")
    return timings


def analyze_app_tables(ctx: SeedContext, app: str) -> list[str]:
    """PostgreSQL: ANALYZE the tables of the app just seeded, before the next app's seed queries them (issue 16).
    Without it a later step plans on empty statistics: the campaigns seed, whose results check a member's
    purchases in the holdings the corebanking step had just loaded, took 1.3 s a campaign instead of 7 ms (12,673
    campaigns on the large data). Returns the tables analysed (none on SQLite, which plans without statistics)."""
    if not ctx.is_postgres:
        return []
    label = app.rsplit(".", 1)[-1]
    try:
        config = django_apps.get_app_config(label)
    except LookupError:
        return []
    tables = sorted({m._meta.db_table for m in config.get_models() if m._meta.managed and not m._meta.proxy})
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return tables


def analyze_after_seed(ctx: SeedContext) -> bool:
    """PostgreSQL: gather the planner's statistics of every table the seed filled (issue 16). A bulk load leaves
    the big tables without statistics until autovacuum gets round to them (minutes to hours on 1,000,000
    customers), and until then the planner guesses: seq scans and hash joins where an index walk is right.
    SQLite plans without statistics: nothing to do. Returns whether it ran."""
    if not ctx.is_postgres:
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
