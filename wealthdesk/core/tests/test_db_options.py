"""WD_PG_JIT: PostgreSQL's JIT per session, off by default, a bad value refused at start-up (issue 16)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from wealthdesk.config.db_options import JIT_DEFAULT, add_session_setting, parse_jit

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("raw, expected", [("on", "on"), ("OFF", "off"), (" true ", "on"), ("0", "off"),
                                           ("yes", "on"), ("no", "off"), ("", JIT_DEFAULT), (None, JIT_DEFAULT)])
def test_parse_jit_accepts_on_and_off_words(raw, expected):
    assert parse_jit(raw) == expected


def test_the_default_is_off():
    assert JIT_DEFAULT == "off"


@pytest.mark.parametrize("raw", ["of", "enable", "2", "jit=off"])
def test_parse_jit_refuses_anything_else_naming_the_variable_and_the_value(raw):
    with pytest.raises(ImproperlyConfigured) as exc:
        parse_jit(raw)
    message = str(exc.value)
    assert "WD_PG_JIT" in message and f"“{raw}”" in message and "on 或 off" in message


def test_session_setting_is_appended_to_postgresql_options_only():
    pg = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c wealthdesk.allow_truncate=on"}}
    add_session_setting(pg, "jit", "off")
    assert pg["OPTIONS"]["options"] == "-c wealthdesk.allow_truncate=on -c jit=off"
    fresh = {"ENGINE": "django.db.backends.postgresql"}
    add_session_setting(fresh, "jit", "on")
    assert fresh["OPTIONS"] == {"options": "-c jit=on"}
    lite = {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {"timeout": 30}}
    add_session_setting(lite, "jit", "off")
    assert lite["OPTIONS"] == {"timeout": 30}


def test_a_bad_value_stops_the_start_with_a_clear_message():
    env = {**os.environ, "WD_PG_JIT": "maybe", "DJANGO_SETTINGS_MODULE": "wealthdesk.config.settings.base"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "WD_PG_JIT 的值“maybe”无效" in result.stderr


@pytest.mark.django_db
def test_the_connection_runs_with_jit_off_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
