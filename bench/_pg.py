"""What the PostgreSQL benchmarks share: ``psql`` for DDL on the throw-away database and ``setup_django`` pointed
at it (scripts run as ``python bench/<name>.py``, so this module is importable as ``_pg``)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def db_url(db: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{db}"


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-q", "-c", sql], check=True)


def setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
    import django

    django.setup()
