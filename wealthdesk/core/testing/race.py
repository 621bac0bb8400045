"""Race tests (DESIGN rule 13): run one write from many real threads at once, on PostgreSQL only.

    from wealthdesk.core.testing.race import needs_postgres, race
    @needs_postgres
    @pytest.mark.django_db(transaction=True)
    def test_only_one_wins(world):
        outcomes = race(lambda i: services.x(...), n=20)
        assert sum(o == "ok" for o in outcomes) == 1

Each thread gets its own database connection (closed at the end); the outcome of a call is ``"ok"`` or the
exception it raised.
"""
from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="race tests need PostgreSQL")


def race(fn, *, n: int = 20) -> list:
    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            fn(i)
            outcomes[i] = "ok"
        except Exception as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes
