"""Fast bulk insert shared by seeds, imports and benchmarks: COPY on PostgreSQL, executemany on SQLite."""
from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence], chunk: int = 5000) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``; returns the number inserted.

    Runs inside the caller's transaction. Values must already be valid: this is the fast path after
    validation, not a replacement for it. ``rows`` must not query the database while it is consumed: on
    PostgreSQL the connection is busy with the COPY, and a query on it would wait for ever (read first).
    """
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({cols}) VALUES ({placeholders})"
        iterator = (tuple(_sqlite_value(v) for v in row) for row in rows)
        while batch := list(islice(iterator, chunk)):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _sqlite_value(value):
    """Aware datetimes as Django stores them on SQLite (UTC, no offset): with "+08:00" in the text they would
    compare wrongly against every other row."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return connection.ops.adapt_datetimefield_value(value)
    return value


def reset_sequence(model) -> None:
    """After inserting explicit ids on PostgreSQL, move the id sequence past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)
