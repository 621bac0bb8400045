"""The tamper-evident audit chain (issue 15; ASVS 16.4.2, 等保三级 security audit c): every audit row carries the
SHA-256 of the row before it (``prev_hash``) and its own hash (``row_hash``) over a canonical form that includes
``prev_hash`` and its place in the chain (``seq``).

Rows are chained in insert order under one lock, so concurrent writers never fork the chain: on PostgreSQL a
transaction-level advisory lock (``pg_advisory_xact_lock``) held from reading the chain's last link until the
inserting transaction ends (a writer waiting for it then reads the new last link); on SQLite (development, tests) a
process lock. Editing a row breaks its own hash; deleting or inserting one breaks the next row's ``prev_hash`` and
the ``seq`` run; truncating the tail is caught against the daily exported chain head (``security`` app commands
``audit_verify`` and ``audit_chain_head``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from contextlib import contextmanager

from django.db import connections, transaction

GENESIS = "0" * 64
ADVISORY_KEY = 5_764_155_215  # "WDAUDIT": the one advisory lock of the audit chain
_process_lock = threading.RLock()

CANONICAL_FIELDS = ("seq", "at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr",
                    "customer_id", "unit_id", "ip", "request_id", "source", "detail", "prev_hash")


def _ip(value) -> str | None:
    if not value:
        return None
    from django.utils.ipv6 import clean_ipv6_address

    value = str(value)
    return clean_ipv6_address(value) if ":" in value else value


def _at(value) -> str:
    if isinstance(value, str):  # pragma: no cover - values() on some backends
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(row) -> bytes:
    """The bytes hashed for one row: a sorted-key JSON object of its fields (``detail`` as stored, round-tripped)."""
    values = {}
    for name in CANONICAL_FIELDS:
        value = getattr(row, name) if not isinstance(row, dict) else row[name]
        if name == "at":
            value = _at(value)
        elif name == "ip":
            value = _ip(value)
        elif name == "detail":
            value = json.loads(json.dumps(value or {}))
        elif name in ("object_id", "actor_name", "object_type", "object_repr", "request_id", "source", "action"):
            value = str(value or "")
        values[name] = value
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def digest(row) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


@contextmanager
def chain_lock(using: str = "default"):
    """Hold the chain's lock until the current transaction ends (PostgreSQL) or the block ends (SQLite)."""
    connection = connections[using]
    with _process_lock, transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_KEY])
        yield


def last_link(model, using: str = "default") -> tuple[int, str]:
    """``(seq, row_hash)`` of the chain's last row, ``(0, GENESIS)`` for an empty chain."""
    row = (model._base_manager.using(using).filter(seq__isnull=False).order_by("-seq")
           .values_list("seq", "row_hash").first())
    return row if row else (0, GENESIS)


def link(rows, model, using: str = "default") -> None:
    """Give unsaved rows their place in the chain, in list order (call inside ``chain_lock``)."""
    seq, previous = last_link(model, using)
    for row in rows:
        seq += 1
        row.seq, row.prev_hash = seq, previous
        row.row_hash = digest(row)
        previous = row.row_hash
