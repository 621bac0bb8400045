"""Reports from a PostgreSQL streaming replica (issue 16: beyond one database server).

With ``DATABASE_REPLICA_URL`` set, the ``replica`` alias points at a hot standby of the primary. Reads go there
only where a page or job has said so — statistics, roll-ups, analyses and exports, which read much and write
nothing but their audit row — by running inside ``replica_reads()`` (views: ``ReplicaReadMixin``). Everything
else, and every write anywhere (the export's audit row included), goes to the primary, so a page that writes
never reads what it just wrote from a standby that has not replayed it yet.

A standby lags its primary by the time it takes to replay the WAL (milliseconds on a healthy pair): a report may
miss a contact saved in the same instant. ``WD_REPLICA_READS`` (default on when a replica is configured) switches
the routing off, e.g. while a standby is being rebuilt; the test settings keep it off except in the test that
checks the routing against a real standby.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings

_READ_REPLICA = contextvars.ContextVar("wd_read_replica", default=False)
REPLICA = "replica"


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES and getattr(settings, "WD_REPLICA_READS", True)


@contextmanager
def replica_reads():
    token = _READ_REPLICA.set(True)
    try:
        yield
    finally:
        _READ_REPLICA.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _READ_REPLICA.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: objects from either relate

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadMixin:
    """A read-only page (GET) whose queries go to the replica when one is configured."""

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        with replica_reads():
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()  # render inside: templates evaluate lazy querysets
            return response
