"""Production settings pass Django's deployment checklist (manage.py check --deploy)."""
import os
import subprocess
import sys
from pathlib import Path

from wealthdesk.core.testing.production import PRODUCTION_KEYS

ROOT = Path(__file__).resolve().parents[3]


def test_production_settings_pass_check_deploy():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wealthdesk.config.settings.production",
           "SECRET_KEY": "x7#k2!p9" * 8, "ALLOWED_HOSTS": "wealthdesk.bank.local", "DEBUG": "false",
           **PRODUCTION_KEYS}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests only
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "(security." not in output and "(async." not in output, output


def test_every_response_carries_security_headers(client, db):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_collectstatic_builds_the_manifest_that_make_run_serves(tmp_path):
    """WhiteNoise's manifest storage fails on any asset that references a missing file (e.g. a source map)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wealthdesk.config.settings.base", "STATIC_ROOT": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").exists()
