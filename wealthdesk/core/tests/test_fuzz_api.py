"""Fuzzing the API against its own OpenAPI schema with schemathesis (issue 9): as a client manager and as a center
head, every operation gets a bounded number of generated requests; no answer may be a 5xx and every answer must
match the schema (status code documented, body shape, content type). Runs in ``make test`` on SQLite and
PostgreSQL.

Bounds: ``FUZZ_EXAMPLES`` examples per operation (default 4; ``WD_FUZZ_EXAMPLES`` overrides), no deadline, a
fixed seed (derandomised) so a failure is reproducible. Excluded: the file upload (``POST /api/v1/imports/``,
multipart file bodies are covered by the corebanking tests) and the token endpoint (``POST /api/v1/auth/token/``,
throttled password attempts, covered by the staff tests).
"""
from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

FUZZ_EXAMPLES = int(os.environ.get("WD_FUZZ_EXAMPLES", "4"))
EXCLUDED = {("POST", "/api/v1/imports/"), ("POST", "/api/v1/auth/token/")}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _schema():
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    return schema


def _operations():
    out = []
    for result in _schema().get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in EXCLUDED:
            out.append(operation)
    return out


@pytest.fixture
def keep_the_test_connection():
    """The WSGI app is called directly (not through Django's test client), so its request signals would close the
    test's database connection (CONN_MAX_AGE on PostgreSQL); do what the test client does and keep it open."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_the_test_connection")
@pytest.mark.parametrize("persona", ["cm_c1_1", "head_c1"])
def test_every_api_operation_survives_fuzzing_and_matches_its_schema(world, persona):
    token, _ = Token.objects.get_or_create(user=world.users[persona])
    headers = {"Authorization": f"Token {token.key}"}
    failures: list[str] = []
    for operation in _operations():
        @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert not failures, f"{len(failures)} operations failed:\n" + "\n\n".join(failures)
