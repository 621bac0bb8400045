"""One helper for race tests (DESIGN rule 13): N real threads, each on its own database connection, released
together by a barrier, so that the writes truly overlap on PostgreSQL.

    pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

    result = race(lambda c: complaint_extend(actor=..., complaint=c, reason="..."),
                  prepare=lambda: Complaint.objects.get(pk=pk))     # every thread reads first (a stale read)
    result.assert_one_winner(ValidationError)

``prepare`` runs in each thread before the barrier (what a user read on the page); ``action`` gets its result.
SQLite serialises writers and cannot show the race: the tests are skipped there (``requires_postgres``).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
from django.db import connection, connections

requires_postgres = pytest.mark.skipif(connection.vendor != "postgresql",
                                       reason="race tests need PostgreSQL's row locks and real concurrent connections")


@dataclass
class RaceResult:
    """What N concurrent calls returned: the successes and the refusals (exceptions), in completion order."""

    winners: list = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)

    def assert_one_winner(self, *expected: type[BaseException]) -> None:
        """Exactly one call succeeded; every other call was refused with one of the ``expected`` exceptions."""
        unexpected = [e for e in self.errors if expected and not isinstance(e, expected)]
        assert not unexpected, f"unexpected errors: {unexpected[:3]!r}"
        assert len(self.winners) == 1, f"{len(self.winners)} winners, {len(self.errors)} refused: {self.errors[:3]!r}"

    def messages(self) -> list[str]:
        out = []
        for exc in self.errors:
            out.extend(getattr(exc, "messages", [str(exc)]))
        return out


def race(action, *, n: int = 20, prepare=None, timeout: float = 60.0) -> RaceResult:
    """Run ``action(prepared)`` in ``n`` threads at once; return the successes and the exceptions."""
    barrier = threading.Barrier(n)
    result = RaceResult()
    guard = threading.Lock()

    def worker():
        try:
            prepared = prepare() if prepare else None
            barrier.wait(timeout)
            value = action(prepared)
        except BaseException as exc:
            with guard:
                result.errors.append(exc)
        else:
            with guard:
                result.winners.append(value)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a racing thread did not finish (deadlock?)"
    return result
