"""PostgreSQL fast path for balance files (R8): the CSV goes byte for byte into a text staging table with COPY,
and every check runs set-based in SQL. No Python touches the rows.

If anything is off — a malformed row, a bad date, wrong column count, an encoding problem — the fast path
steps aside (nothing of it remains) and the streaming Python path runs instead, which words every bad row's
reason (line, column). Real core-banking files are clean, so they take the fast path.
"""
from __future__ import annotations

import datetime

import psycopg
from django.db import DatabaseError, connection, transaction

from wealthdesk.core.dates import in_range

from .layouts import DATE_RE

RAW = "cb_stage_balance_raw"
COPY_ENCODINGS = {"utf-8-sig": "UTF8", "gbk": "GBK"}
CHUNK = 8 * 1024 * 1024


class _StepAside(Exception):
    """The file needs the row-by-row path for its error messages."""


def _cell(index: int) -> str:
    return f"btrim(coalesce(c{index}, ''), E' \\t\\r')"


def stage_balances_fast(run, table, positions: dict[str, int], stage: str) -> bool:
    """Fill ``stage`` (line, cif_no, as_of, aum) from ``run.data``; False when the Python path must run."""
    encoding = COPY_ENCODINGS.get(table.encoding)
    if connection.vendor != "postgresql" or encoding is None or run.data is None:
        return False
    if "as_of" not in positions and run.as_of is None:
        return False
    try:
        with transaction.atomic():
            total = _fill(run, table, positions, stage, encoding)
    except (_StepAside, psycopg.Error, DatabaseError):
        return False
    run.total = total
    return True


def _fill(run, table, positions, stage, encoding) -> int:
    columns = ", ".join(f"c{i} text" for i in range(len(table.header)))
    names = ", ".join(f"c{i}" for i in range(len(table.header)))
    cif, aum = _cell(positions["cif_no"]), _cell(positions["aum"])
    day = _cell(positions["as_of"]) if "as_of" in positions else None
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {RAW} (line bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), "
                       f"{columns}) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY {RAW} ({names}) FROM STDIN WITH (FORMAT csv, HEADER true, "
                                f"ENCODING '{encoding}')") as copy:
            view = memoryview(run.data)
            for start in range(0, len(view), CHUNK):
                copy.write(view[start:start + CHUNK])
        # The casts validate dates and amounts (a bad one raises and the fast path steps aside);
        # what a cast lets through (too long, control characters, sign, more than two decimals) is checked next.
        day_sql, params = (f"{day}::date", []) if day is not None else ("%s::date", [run.as_of])
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} AS SELECT line::integer AS line, {cif} AS cif_no, "
                       f"{day_sql} AS as_of, {aum}::numeric AS aum, translate({aum}, '0123456789.', '') <> '' AS odd "
                       f"FROM {RAW}", params)
        total = cursor.rowcount
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {stage} WHERE length(cif_no) NOT BETWEEN 1 AND 32 "
                       f"OR cif_no ~ '[[:cntrl:]\\\\]' OR odd OR scale(aum) > 2 OR aum >= 1e16)")
        if cursor.fetchone()[0]:
            raise _StepAside
        if day is not None:
            cursor.execute(f"SELECT DISTINCT {day} FROM {RAW}")
            fixed = run.as_of.isoformat() if run.as_of else None
            if any(not _valid_day(value) or (fixed and value != fixed) for (value,) in cursor.fetchall()):
                raise _StepAside
        cursor.execute(f"ALTER TABLE {stage} DROP COLUMN odd")
        cursor.execute(f"DROP TABLE {RAW}")
    return total


def _valid_day(value: str) -> bool:
    if not DATE_RE.match(value):
        return False
    try:
        return in_range(datetime.date.fromisoformat(value))  # 1900–2100 (core.dates)
    except ValueError:
        return False
