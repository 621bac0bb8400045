"""Issue 15 (R28 at rest): with the demo data loaded, the database holds no clear resident ID number (18
characters with a valid GB 11643 check digit) and no clear mobile (``1[3-9]`` + 9 digits) anywhere.

On PostgreSQL the evidence is what an attacker with a backup would get: ``pg_dump --data-only`` of the test
database. On SQLite the twin reads every text column of every table.
"""
import io
import os
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection

from wealthdesk.core.seeding import SIZES
from wealthdesk.core.validators import id_check_digit

# Alphanumeric boundaries: a clear value stands alone in its cell or in text; base64 / hex ciphertext that happens
# to hold a run of digits is bounded by letters, and the fraction of a number (SQLite keeps a summed amount as a
# float: ``170108.13999999998``) follows a decimal point.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z.])(\d{17}[\dX])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z.])1[3-9]\d{9}(?![0-9A-Za-z])")


def clear_values(text: str) -> set[str]:
    ids = {v for v in ID_NUMBER.findall(text) if id_check_digit(v[:17]) == v[17]}
    return ids | set(MOBILE.findall(text))


@pytest.fixture
def demo_committed(django_db_blocker, monkeypatch):
    """The small demo, committed (pg_dump reads another session), emptied afterwards by the test's flush."""
    monkeypatch.setitem(SIZES, "small", 300)
    with django_db_blocker.unblock():
        call_command("seed_demo", "--size", "small", "--today", "2026-11-27", stdout=io.StringIO())


def pg_dump_text() -> str:
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    args = ["pg_dump", "--data-only", "--no-owner", "-h", settings.get("HOST") or "127.0.0.1",
            "-p", str(settings.get("PORT") or 5432), "-U", settings.get("USER") or "postgres", settings["NAME"]]
    return subprocess.run(args, env=env, capture_output=True, text=True, check=True, timeout=300).stdout


def sqlite_text() -> str:
    parts = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                parts.append(f"{table}\t" + "\t".join(v.hex() if isinstance(v, bytes | memoryview) else str(v) for v in row))
    return "\n".join(parts)


@pytest.mark.django_db(transaction=True)
def test_a_dump_of_the_demo_data_holds_no_clear_id_number_or_mobile(demo_committed):
    from wealthdesk.customers.models import Customer

    customers = list(Customer.objects.values_list("id_number", "mobile")[:50])
    assert len(customers) == 50 and all(m for _i, m in customers)  # the demo really holds personal data
    if connection.vendor == "postgresql":
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not installed")
        text = pg_dump_text()
    else:
        text = sqlite_text()
    assert "COPY public.customers_customer" in text or connection.vendor != "postgresql"
    for id_number, mobile in customers:  # the known values first: a precise message
        assert id_number not in text and mobile not in text
    found = clear_values(text)
    where = [line[:200] for line in text.splitlines() if clear_values(line)][:5]  # the rows, to name the table
    assert not found, (sorted(found)[:10], where)
