"""Monthly range partitions of ``corebanking_dailybalance`` on PostgreSQL (hundreds of millions of rows).

Migration 0002 turns the table Django created into a partitioned one with the same columns, key and
indexes. Every balance load calls ``ensure_partitions`` for the months it touches first. On SQLite
nothing happens: a plain table with the same primary key.
"""
from __future__ import annotations

import datetime

from django.db import connection

TABLE = "corebanking_dailybalance"

CREATE_PARTITIONED = f"""
DROP TABLE {TABLE};
CREATE TABLE {TABLE} (
    "as_of" date NOT NULL,
    "aum" numeric(18, 2) NOT NULL,
    "customer_id" bigint NOT NULL,
    "batch_id" bigint NULL,
    CONSTRAINT "{TABLE}_pkey" PRIMARY KEY ("customer_id", "as_of")
) PARTITION BY RANGE ("as_of");
CREATE INDEX "dailybalance_as_of_idx" ON {TABLE} ("as_of");
CREATE INDEX "dailybalance_batch_idx" ON {TABLE} ("batch_id");
"""


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def partition_name(month: datetime.date) -> str:
    return f"{TABLE}_p{month:%Y%m}"


def is_partitioned(conn=connection) -> bool:
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        return cursor.fetchone() is not None


def ensure_partitions(first: datetime.date, last: datetime.date, conn=connection) -> list[str]:
    """Create the monthly partitions covering ``first``..``last`` if missing; returns the names created."""
    if conn.vendor != "postgresql" or first is None or last is None:
        return []
    created = []
    month = month_start(first)
    with conn.cursor() as cursor:
        while month <= last:
            name = partition_name(month)
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is None:
                cursor.execute(
                    f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF {TABLE} '
                    f"FOR VALUES FROM ('{month:%Y-%m-%d}') TO ('{next_month(month):%Y-%m-%d}')"
                )
                created.append(name)
            month = next_month(month)
    return created
