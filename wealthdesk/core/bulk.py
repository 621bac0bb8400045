"""Fast bulk insert shared by seeds, imports and benchmarks: COPY on PostgreSQL, executemany on SQLite."""
from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


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


def allocate_ids(model, count: int) -> list[int]:
    """``count`` fresh primary keys of ``model``'s table, taken before the rows are written, so that rows pointing
    at them (a call-list row at its contact record) can be built first and everything written with COPY. On
    PostgreSQL they come from the table's sequence (safe beside concurrent writers); on SQLite, one writer at a
    time, they follow the largest id (call it inside the transaction that writes them)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, pk, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) "
                       f"FROM {connection.ops.quote_name(table)}")
        top = cursor.fetchone()[0]
    return list(range(top + 1, top + 1 + count))


def copy_objects(objs: Sequence) -> int:
    """Write unsaved model instances of one model with ``copy_rows``: the fast path of ``bulk_create`` for seeds
    of valid data (no ``save()``, no signals, like ``bulk_create``). Instances without a primary key get one from
    ``allocate_ids`` first; each field's ``pre_save`` runs (``auto_now`` stamps). On PostgreSQL the values of
    Django's own plain field types go to COPY as they are (psycopg adapts them); every other field (JSON, the
    encrypted fields, anything on SQLite) is prepared as the ORM prepares it. Returns the number of rows written."""
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    fresh = [obj for obj in objs if obj.pk is None]
    for obj, pk in zip(fresh, allocate_ids(model, len(fresh)), strict=True):
        obj.pk = pk
    conn = connections[DEFAULT_DB_ALIAS]
    fields = list(meta.concrete_fields)
    plain = [conn.vendor == "postgresql" and type(f) in _PLAIN_FIELDS for f in fields]

    def value(f, is_plain, obj):
        v = f.pre_save(obj, True)
        if is_plain:
            return v.value if isinstance(v, enum.Enum) else v  # a choices member: its stored value, not its name
        return f.get_db_prep_save(v, conn)

    prepared = [tuple(value(f, p, obj) for f, p in zip(fields, plain, strict=True)) for obj in objs]
    count = copy_rows(meta.db_table, [f.column for f in fields], prepared)
    for obj in objs:
        obj._state.adding, obj._state.db = False, conn.alias
    return count


_PLAIN_FIELDS = frozenset({
    models.AutoField, models.BigAutoField, models.SmallAutoField, models.IntegerField, models.BigIntegerField,
    models.SmallIntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField, models.CharField, models.TextField, models.BooleanField, models.DateField,
    models.DateTimeField, models.DecimalField, models.FloatField, models.ForeignKey, models.OneToOneField,
    models.UUIDField, models.EmailField, models.SlugField})
