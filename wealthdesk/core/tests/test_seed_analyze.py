"""seed_demo ends with ANALYZE on PostgreSQL, so the planner has statistics of the big tables it filled (issue 16)."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wealthdesk.core import seeding
from wealthdesk.core.seeding import SeedContext, analyze_after_seed, run_seed

pytestmark = pytest.mark.django_db


def _ctx() -> SeedContext:
    return SeedContext(size="small", seed=1, today=dt.date(2026, 12, 1))


def _analyzes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].strip().upper() == "ANALYZE"]


def test_analyze_runs_on_postgresql(monkeypatch):
    monkeypatch.setattr(SeedContext, "is_postgres", property(lambda self: True))
    with CaptureQueriesContext(connection) as queries:
        assert analyze_after_seed(_ctx()) is True
    assert len(_analyzes(queries.captured_queries)) == 1  # SQLite accepts the statement too, so it really runs


def test_no_analyze_on_sqlite(monkeypatch):
    monkeypatch.setattr(SeedContext, "is_postgres", property(lambda self: False))
    with CaptureQueriesContext(connection) as queries:
        assert analyze_after_seed(_ctx()) is False
    assert _analyzes(queries.captured_queries) == []


def test_run_seed_analyzes_after_the_last_app(settings, monkeypatch):
    settings.LOCAL_APPS = []  # no app seeds: only the closing step
    monkeypatch.setattr(SeedContext, "is_postgres", property(lambda self: True))
    calls = []
    monkeypatch.setattr(seeding, "analyze_after_seed", lambda ctx: calls.append(ctx) or True)
    ctx = _ctx()
    timings = run_seed(ctx)
    assert calls == [ctx]
    assert [name for name, _s in timings] == ["ANALYZE"]


def test_each_app_step_analyzes_its_own_tables_on_postgresql(monkeypatch):
    """A later seed step plans on the statistics of what the earlier steps loaded (the campaigns step looks up the
    holdings of the corebanking step: 1.3 s a campaign without statistics, 7 ms with them)."""
    monkeypatch.setattr(SeedContext, "is_postgres", property(lambda self: True))
    with CaptureQueriesContext(connection) as queries:
        tables = seeding.analyze_app_tables(_ctx(), "wealthdesk.corebanking")
    assert "corebanking_holding" in tables and "corebanking_product" in tables
    assert not any(t.startswith("customers_") for t in tables)
    ran = [q["sql"] for q in queries.captured_queries if q["sql"].upper().startswith("ANALYZE")]
    assert len(ran) == len(tables)
    assert seeding.analyze_app_tables(_ctx(), "wealthdesk.no_such_app") == []


def test_no_app_analyze_on_sqlite(monkeypatch):
    monkeypatch.setattr(SeedContext, "is_postgres", property(lambda self: False))
    with CaptureQueriesContext(connection) as queries:
        assert seeding.analyze_app_tables(_ctx(), "wealthdesk.corebanking") == []
    assert queries.captured_queries == []
